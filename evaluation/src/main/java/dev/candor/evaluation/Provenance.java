package dev.candor.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a report's numbers came from, enough to rerun them. Any field may be null when unknown. */
public record Provenance(
    List<DatasetFile> datasets,
    String split,
    Integer n,
    Map<String, String> modelVersions,
    String protocol,
    Long seed,
    String commandLine) {

  public Provenance {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    modelVersions =
        modelVersions == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(modelVersions));
  }

  public record DatasetFile(String path, String sha256) {

    /** Hashes the file now, so the report pins the exact bytes evaluated. */
    public static DatasetFile of(Path file) {
      try (InputStream in = Files.newInputStream(file)) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
          digest.update(buffer, 0, r);
        }
        return new DatasetFile(file.toString(), HexFormat.of().formatHex(digest.digest()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot hash " + file, e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by every JVM", e);
      }
    }
  }
}
