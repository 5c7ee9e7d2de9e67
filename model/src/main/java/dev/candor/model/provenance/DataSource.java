package dev.candor.model.provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Data a model was trained on or a report was computed from, pinned by its checksum (Tribuo's
 * data-source provenance). The same record serves bundles ({@code provenance.json}, field {@code
 * data}) and evaluation reports (field {@code datasets}).
 *
 * @param role what the data was used for: train, validation, evaluation, spans, feedback …
 * @param path a file path, or a URI for data that is not a file (e.g. a topic-partition range)
 * @param sha256 checksum of the bytes read
 * @param rows records read (examples, not lines)
 */
public record DataSource(String role, String path, String sha256, long rows) {

  /** Hashes {@code file} now, so that the record pins the exact bytes used. */
  public static DataSource ofFile(String role, Path file, long rows) {
    try {
      return new DataSource(
          role, file.toAbsolutePath().normalize().toString(), Hashing.sha256(file), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + file, e);
    }
  }
}
