package dev.candor.model.train;

import dev.candor.model.data.DataMix;
import dev.candor.model.data.Example;
import dev.candor.model.data.IdentityAugmentation;
import dev.candor.model.data.IdentityTerms;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.provenance.DataSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a fine-tuning run learns from and validates on, with where each part came from.
 *
 * @param train training examples
 * @param validation examples that pick the best epoch
 * @param sources the data read, each with its checksum (files, or topic ranges for the trainer)
 * @param validationBySource every source's validation set by source name, scored after every epoch;
 *     empty for a single source, else its first entry is {@code validation} itself
 * @param preparation how the training rows were made (mixing weights, augmentation), recorded in
 *     the bundle's hyper-parameters
 */
public record TrainingData(
    List<Example> train,
    List<Example> validation,
    List<DataSource> sources,
    Map<String, List<Example>> validationBySource,
    Map<String, Object> preparation) {

  public TrainingData {
    if (train == null || train.isEmpty() || validation == null || validation.isEmpty()) {
      throw new IllegalArgumentException("training needs training and validation examples");
    }
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    sources = sources == null ? List.of() : List.copyOf(sources);
    Map<String, List<Example>> by = new LinkedHashMap<>();
    if (validationBySource != null) {
      validationBySource.forEach((k, v) -> by.put(k, List.copyOf(v)));
    }
    if (!by.isEmpty() && !by.values().iterator().next().equals(validation)) {
      throw new IllegalArgumentException(
          "the first per-source validation set must be the validation set");
    }
    validationBySource = Collections.unmodifiableMap(by);
    preparation =
        preparation == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(preparation));
  }

  /** One source, no per-source validation, nothing prepared. */
  public TrainingData(List<Example> train, List<Example> validation, List<DataSource> sources) {
    this(train, validation, sources, Map.of(), Map.of());
  }

  /** Two JSONL files, recorded with the roles "train" and "validation". */
  public static TrainingData of(JsonlDataset train, JsonlDataset validation) {
    return new TrainingData(
        train.examples(),
        validation.examples(),
        List.of(train.provenance("train"), validation.provenance("validation")));
  }

  /** Two sources of a mix name the same class index differently. */
  public static final class LabelMismatch extends IllegalArgumentException {
    LabelMismatch(String message) {
      super(message);
    }
  }

  /**
   * One source of a mix.
   *
   * @param name short name (the dataset folder), unique within the mix
   * @param train its training file
   * @param validation its validation file
   * @param weight multiplier on its training rows ({@link DataMix#weighted})
   */
  public record Source(String name, JsonlDataset train, JsonlDataset validation, double weight) {}

  /**
   * Several sources mixed by weight. Source {@code i}'s training rows are {@link
   * DataMix#weighted}{@code (rows, weight, seed + i)}; with more than one source the concatenation
   * is shuffled with {@code seed}. The first source's validation set picks the best epoch; every
   * source's validation set is scored. One source of weight 1 gives exactly {@link #of}.
   *
   * @throws IllegalArgumentException if names repeat or the sources name a label differently
   */
  public static TrainingData mix(List<Source> sources, long seed) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no data source");
    }
    Source first = sources.get(0);
    if (sources.size() == 1 && first.weight() == 1.0) {
      return of(first.train(), first.validation());
    }
    List<String> labels = new ArrayList<>();
    List<Example> train = new ArrayList<>();
    List<DataSource> files = new ArrayList<>();
    Map<String, List<Example>> validation = new LinkedHashMap<>();
    List<Map<String, Object>> mix = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      if (validation.containsKey(s.name())) {
        throw new IllegalArgumentException("data source " + s.name() + " is given twice");
      }
      for (JsonlDataset d : List.of(s.train(), s.validation())) {
        List<String> names = d.labelNames();
        for (int c = 0; c < names.size(); c++) {
          String unnamed = String.valueOf(c);
          if (c >= labels.size()) {
            labels.add(names.get(c));
          } else if (labels.get(c).equals(unnamed)) {
            labels.set(c, names.get(c));
          } else if (!names.get(c).equals(unnamed) && !labels.get(c).equals(names.get(c))) {
            throw new LabelMismatch(
                d.file()
                    + " calls label "
                    + c
                    + " '"
                    + names.get(c)
                    + "' but an earlier source calls it '"
                    + labels.get(c)
                    + "'; mixed sources must share one label mapping");
          }
        }
      }
      List<Example> rows = DataMix.weighted(s.train().examples(), s.weight(), seed + i);
      train.addAll(rows);
      validation.put(s.name(), s.validation().examples());
      String suffix = i == 0 ? "" : ":" + s.name();
      files.add(s.train().provenance("train" + suffix));
      files.add(s.validation().provenance("validation" + suffix));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("train_file", s.train().file().toAbsolutePath().normalize().toString());
      m.put("weight", s.weight());
      m.put("train_rows_read", s.train().examples().size());
      m.put("train_rows_used", rows.size());
      m.put("validation_rows", s.validation().examples().size());
      mix.add(m);
    }
    if (sources.size() > 1) {
      Collections.shuffle(train, new Random(seed));
    }
    Map<String, Object> prep = new LinkedHashMap<>();
    prep.put("data_mix", mix);
    prep.put(
        "data_mix_rule",
        "rows of source i = DataMix.weighted(rows, weight, seed + i); several sources shuffled"
            + " with seed; the first source's validation picks the epoch");
    return new TrainingData(
        train, validation.get(first.name()), files, sources.size() > 1 ? validation : null, prep);
  }

  /**
   * These data with counterfactual identity-term copies added to the training rows ({@link
   * IdentityAugmentation#augment}); the lexicon is recorded as a data source (role {@code
   * identity-lexicon}) and the share and counts in the preparation.
   */
  public TrainingData withIdentityAugmentation(double share, long seed, IdentityTerms lexicon) {
    IdentityAugmentation.Result r = IdentityAugmentation.augment(train, share, seed, lexicon);
    List<DataSource> files = new ArrayList<>(sources);
    files.add(
        new DataSource(
            "identity-lexicon", lexicon.source(), lexicon.sha256(), lexicon.terms().size()));
    Map<String, Object> prep = new LinkedHashMap<>(preparation);
    Map<String, Object> aug = new LinkedHashMap<>();
    aug.put("share", share);
    aug.put("seed", seed);
    aug.put("candidate_rows", r.candidates());
    aug.put("added_rows", r.added());
    aug.put("rule", "IdentityAugmentation: swap one identity within its category, label kept");
    prep.put("identity_augmentation", aug);
    return new TrainingData(r.examples(), validation, files, validationBySource, prep);
  }
}
