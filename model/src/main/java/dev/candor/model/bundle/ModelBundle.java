package dev.candor.model.bundle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.SafeTensors;
import dev.candor.model.io.Directories;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Hashing;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as a directory a person can open with ordinary tools: {@code config.json}, {@code
 * model.safetensors} (Hugging Face BERT tensor names), {@code tokenizer.json}, {@code
 * metrics.json}, {@code provenance.json} and {@code MANIFEST.sha256} (the {@code sha256sum} format,
 * so {@code sha256sum -c MANIFEST.sha256} checks it by hand too).
 *
 * <p>Reading verifies every checksum and refuses a bundle that does not match its manifest.
 *
 * @param dir where the bundle lives
 * @param config architecture and head
 * @param weights tensors by name
 * @param tokenizerJson the tokenizer definition
 * @param metrics evaluation figures recorded at training time
 * @param provenance origin of the model
 * @param manifestSha256 sha256 of MANIFEST.sha256: identifies the whole bundle
 */
public record ModelBundle(
    Path dir,
    ModelConfig config,
    Map<String, TensorData> weights,
    byte[] tokenizerJson,
    Map<String, Object> metrics,
    ModelProvenance provenance,
    String manifestSha256) {

  public static final String MANIFEST = "MANIFEST.sha256";
  static final List<String> FILES =
      List.of(
          "config.json", "model.safetensors", "tokenizer.json", "metrics.json", "provenance.json");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Version shown on every prediction: directory name and the first 12 hex of the manifest. */
  public String version() {
    return dir.getFileName() + "@" + manifestSha256.substring(0, 12);
  }

  /**
   * Writes a bundle. The files go to a sibling temporary directory that is renamed into place, so a
   * reader never sees half a bundle.
   *
   * @return the bundle as it would be read back
   */
  public static ModelBundle write(
      Path dir,
      ModelConfig config,
      Map<String, TensorData> weights,
      byte[] tokenizerJson,
      Map<String, Object> metrics,
      ModelProvenance provenance)
      throws IOException {
    ParameterLayout.complete(config, weights, 0); // refuse to write an unloadable bundle
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp");
    String manifest;
    try {
      manifest = writeFiles(tmp, config, weights, tokenizerJson, metrics, provenance);
      if (Files.exists(dir)) {
        throw new IOException("bundle directory already exists: " + dir);
      }
      openForReading(tmp);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // a half-written bundle is useless and would pile up next to the real ones
      Directories.deleteRecursively(tmp);
      throw e;
    }
    return new ModelBundle(
        dir,
        config,
        weights,
        tokenizerJson,
        metrics,
        provenance,
        Hashing.sha256(manifest.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes the five files and the manifest into {@code dir}; returns the manifest text. */
  private static String writeFiles(
      Path dir,
      ModelConfig config,
      Map<String, TensorData> weights,
      byte[] tokenizerJson,
      Map<String, Object> metrics,
      ModelProvenance provenance)
      throws IOException {
    JSON.writeValue(dir.resolve("config.json").toFile(), config);
    SafeTensors.write(dir.resolve("model.safetensors"), weights);
    Files.write(dir.resolve("tokenizer.json"), tokenizerJson);
    JSON.writeValue(dir.resolve("metrics.json").toFile(), metrics);
    JSON.writeValue(dir.resolve("provenance.json").toFile(), provenance);
    StringBuilder manifest = new StringBuilder();
    for (String f : FILES) {
      manifest.append(Hashing.sha256(dir.resolve(f))).append("  ").append(f).append('\n');
    }
    Files.writeString(dir.resolve(MANIFEST), manifest.toString(), StandardCharsets.UTF_8);
    return manifest.toString();
  }

  /**
   * Deletes the bundle at {@code dir}; nothing happens when it does not exist. A directory without
   * a manifest is refused, so that a mistyped path never wipes unrelated files.
   */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
      throw new InvalidBundleException(
          "refusing to delete " + dir + ": it is not a model bundle (no " + MANIFEST + ")", null);
    }
    Directories.deleteRecursively(dir);
  }

  /** Temporary directories are owner-only; a bundle is meant to be read by anyone (rwxr-xr-x). */
  private static void openForReading(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its defaults apply
    }
  }

  /** Reads and verifies a bundle; any mismatch is an {@link InvalidBundleException}. */
  public static ModelBundle read(Path dir) throws IOException {
    verify(dir);
    Path manifest = dir.resolve(MANIFEST);
    try {
      ModelConfig config = JSON.readValue(dir.resolve("config.json").toFile(), ModelConfig.class);
      Map<String, TensorData> weights = SafeTensors.read(dir.resolve("model.safetensors"));
      ParameterLayout.complete(config, weights, 0);
      Map<String, Object> metrics =
          JSON.readValue(dir.resolve("metrics.json").toFile(), new TypeReference<>() {});
      ModelProvenance provenance =
          JSON.readValue(dir.resolve("provenance.json").toFile(), ModelProvenance.class);
      return new ModelBundle(
          dir,
          config,
          weights,
          Files.readAllBytes(dir.resolve("tokenizer.json")),
          new LinkedHashMap<>(metrics),
          provenance,
          Hashing.sha256(manifest));
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
      throw new InvalidBundleException(
          dir + " has a valid manifest but unusable content: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the manifest against the files.
   *
   * @return sha256 of the manifest
   */
  public static String verify(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidBundleException("no model bundle at " + dir + " (not a directory)", null);
    }
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new InvalidBundleException(
          dir + " is not a model bundle: " + MANIFEST + " is missing", null);
    }
    Map<String, String> listed = new LinkedHashMap<>();
    for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split("\\s+\\*?", 2);
      if (parts.length != 2 || parts[0].length() != 64) {
        throw new InvalidBundleException(manifest + " has a malformed line: " + line, null);
      }
      listed.put(parts[1].trim(), parts[0]);
    }
    for (String f : FILES) {
      if (!listed.containsKey(f)) {
        throw new InvalidBundleException(manifest + " does not list " + f, null);
      }
    }
    for (Map.Entry<String, String> e : listed.entrySet()) {
      Path file = dir.resolve(e.getKey()).normalize();
      if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
        throw new InvalidBundleException(
            "bundle " + dir + " is missing " + e.getKey() + " listed in its manifest", null);
      }
      String actual = Hashing.sha256(file);
      if (!actual.equals(e.getValue())) {
        throw new InvalidBundleException(
            "bundle "
                + dir
                + " was modified or corrupted: "
                + e.getKey()
                + " has sha256 "
                + actual
                + " but the manifest says "
                + e.getValue(),
            null);
      }
    }
    return Hashing.sha256(manifest);
  }
}
