package dev.candor.cli;

import dev.candor.evaluation.functional.FunctionalSuite;
import dev.candor.model.data.DataMix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The data {@code candor train} fine-tunes on when no dataset is named: all of HateXplain and the
 * functional training source drawn from the shipped training templates (contrasts of hate with the
 * same words negated, rejected, aimed at things; groups the checks do not use), its punctuation
 * removed as HateXplain's is. Why, and what it replaced: docs/model-results.md, "A functional
 * training source".
 */
final class DefaultTrainingMix {
  /** The source that picks the epoch, and the data part of the default bundle's name. */
  static final String NAME = "hatexplain";

  /** The generated source's folder name (what --strip-punctuation names). */
  static final String FUNCTIONAL = "functional";

  /** Written sentences carry punctuation HateXplain's texts lack; left in, it marks the source. */
  static final List<String> STRIP_PUNCTUATION = List.of(FUNCTIONAL);

  private DefaultTrainingMix() {}

  /**
   * The mix as a {@code --data} value: HateXplain under a datasets directory and the functional
   * source, drawn with {@code candor functional-data}'s defaults into {@code <candor
   * home>/data/functional-<templates sha>-<draws>/functional} (kept: the same templates and
   * settings give the same files).
   *
   * @throws IllegalArgumentException naming HateXplain's folder when it is missing
   */
  static String sources(Path datasets) throws IOException {
    Path hatexplain = datasets.resolve(NAME);
    if (!Files.isDirectory(hatexplain)) {
      throw new IllegalArgumentException(
          "the default training data is HateXplain and the functional training source"
              + " (docs/training-data.md), but "
              + hatexplain
              + " is missing; name the data to train on with --data DIR[,DIR=W]");
    }
    // every row of each, once; HateXplain first, so that its validation split picks the epoch
    return DataMix.format(
        List.of(
            new DataMix.Entry(hatexplain.toString(), 1.0),
            new DataMix.Entry(functionalSource().toString(), 1.0)));
  }

  private static Path functionalSource() throws IOException {
    FunctionalSuite templates = FunctionalSuite.bundledTraining();
    String key =
        String.join(
            "-",
            FUNCTIONAL,
            templates.sha256().substring(0, 12),
            FunctionalTrainingSource.PER_TEMPLATE,
            FunctionalTrainingSource.VAL_PER_TEMPLATE,
            FunctionalTrainingSource.SEED);
    Path dir = ModelHome.home().resolve("data").resolve(key).resolve(FUNCTIONAL);
    if (Files.isRegularFile(dir.resolve("val.jsonl"))) {
      return dir;
    }
    // drawn beside it and moved into place whole, so that a concurrent run never reads half a file
    Files.createDirectories(dir.getParent());
    Path partial = Files.createTempDirectory(dir.getParent(), "partial-");
    FunctionalTrainingSource.write(
        templates,
        Integer.parseInt(FunctionalTrainingSource.PER_TEMPLATE),
        Integer.parseInt(FunctionalTrainingSource.VAL_PER_TEMPLATE),
        Long.parseLong(FunctionalTrainingSource.SEED),
        partial);
    try {
      Files.move(partial, dir);
    } catch (IOException e) {
      if (!Files.isRegularFile(dir.resolve("val.jsonl"))) {
        throw e;
      }
      // another run put the same files there first
      try (var files = Files.list(partial)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(partial);
    }
    return dir;
  }
}
