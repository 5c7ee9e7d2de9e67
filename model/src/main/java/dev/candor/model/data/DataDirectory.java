package dev.candor.model.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the datasets directory: an explicit path, else {@code $CANDOR_DATA}, else {@code
 * ../shared/data} when it exists.
 */
public final class DataDirectory {
  public static final String ENV = "CANDOR_DATA";

  private DataDirectory() {}

  public static Path resolve(Path explicit) {
    if (explicit != null) {
      return requireDir(explicit, "--data");
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return requireDir(Path.of(env), "$" + ENV);
    }
    Optional<Path> shared = Optional.of(Path.of("..", "shared", "data")).filter(Files::isDirectory);
    return shared.orElseThrow(
        () ->
            new IllegalArgumentException(
                "no data directory: pass --data DIR or set "
                    + ENV
                    + " (a directory of JSONL datasets such as hatexplain/train.jsonl);"
                    + " ../shared/data does not exist here"));
  }

  /** A dataset folder such as {@code hatexplain}, or a path to one. */
  public static Path dataset(Path dataDir, String nameOrPath) {
    Path p = Path.of(nameOrPath);
    if (Files.isDirectory(p)) {
      return p;
    }
    return requireDir(dataDir.resolve(nameOrPath), "dataset");
  }

  private static Path requireDir(Path p, String what) {
    if (!Files.isDirectory(p)) {
      throw new IllegalArgumentException(what + " directory does not exist: " + p.toAbsolutePath());
    }
    return p;
  }
}
