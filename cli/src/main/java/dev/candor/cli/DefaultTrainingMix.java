package dev.candor.cli;

import dev.candor.model.data.DataMix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data {@code candor train} fine-tunes on when no dataset is named: all of HateXplain, a seeded
 * half of Toxic Spans' toxic posts (hate and abuse in well-formed prose, which the tweets lack) and
 * a seeded 20 % of SST-2's movie-review sentences as {@code normal} (benign prose beside them, so
 * that prose itself is not evidence of toxicity), both with their punctuation removed as
 * HateXplain's is. Why, and what it costs: docs/model-results.md, "Issue 14: the default mix".
 */
final class DefaultTrainingMix {
  /** The source that picks the epoch, and the data part of the default bundle's name. */
  static final String NAME = "hatexplain";

  /** Folder and weight of each source, in mixing order (the first one picks the best epoch). */
  static final List<DataMix.Entry> WEIGHTS =
      List.of(
          new DataMix.Entry(NAME, 1.0),
          new DataMix.Entry("toxic_spans", 0.5),
          new DataMix.Entry("sst2", 0.2));

  /** Toxic Spans' {@code no_span} rows are toxic posts without a marked span, not benign ones. */
  static final Map<String, String> KEEP_LABELS = Map.of("toxic_spans", "toxic");

  static final Map<String, String> AS_CLASS = Map.of("sst2", "normal");

  /**
   * HateXplain's texts have no punctuation; left in the other two, "!" and "?" would be evidence of
   * Toxic Spans' class, i.e. toxic.
   */
  static final List<String> STRIP_PUNCTUATION = List.of("toxic_spans", "sst2");

  private DefaultTrainingMix() {}

  /**
   * The mix as a {@code --data} value under a datasets directory.
   *
   * @throws IllegalArgumentException naming the missing folders and how to train without them
   */
  static String sources(Path datasets) {
    List<DataMix.Entry> resolved = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (DataMix.Entry e : WEIGHTS) {
      Path dir = datasets.resolve(e.location());
      if (!Files.isDirectory(dir)) {
        missing.add(dir.toString());
      }
      resolved.add(new DataMix.Entry(dir.toString(), e.weight()));
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "the default training data is HateXplain, Toxic Spans' toxic posts and SST-2's"
              + " sentences as normal (docs/training-data.md), but "
              + String.join(" and ", missing)
              + (missing.size() == 1 ? " is" : " are")
              + " missing; name the data to train on, e.g. --dataset hatexplain");
    }
    return DataMix.format(resolved);
  }
}
