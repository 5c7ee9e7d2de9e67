package dev.candor.cli;

import java.nio.file.Path;

/** Where trained bundles go by default: {@code $CANDOR_HOME/models} or {@code ~/.candor/models}. */
final class ModelHome {
  private ModelHome() {}

  static Path models() {
    String home = System.getenv("CANDOR_HOME");
    Path base = home != null && !home.isBlank()
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"), ".candor");
    return base.resolve("models");
  }

  /** The default bundle used by classify/explain when none is named. */
  static Path defaultBundle() {
    return models().resolve("bcos-b1.5-minilm-hatexplain");
  }
}
