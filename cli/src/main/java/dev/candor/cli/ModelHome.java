package dev.candor.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where trained bundles go by default: {@code -Dcandor.home} or {@code $CANDOR_HOME}, plus {@code
 * /models}; else {@code ~/.candor/models}. Generated training data goes under {@code data/} there.
 */
final class ModelHome {
  static final String FULL = "bcos-b1.5-minilm-hatexplain";
  static final String QUICK = FULL + "-quick";

  private ModelHome() {}

  /** {@code -Dcandor.home}, else {@code $CANDOR_HOME}, else {@code ~/.candor}. */
  static Path home() {
    String home = System.getProperty("candor.home", System.getenv("CANDOR_HOME"));
    return home != null && !home.isBlank()
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"), ".candor");
  }

  static Path models() {
    return home().resolve("models");
  }

  /**
   * The bundle used when none is named: the fully trained default model, else the quick bootstrap
   * model that {@code candor quickstart} trains, else the full model's (absent) path.
   */
  static Path defaultBundle() {
    Path full = models().resolve(FULL);
    Path quick = models().resolve(QUICK);
    return !Files.exists(full) && Files.exists(quick) ? quick : full;
  }
}
