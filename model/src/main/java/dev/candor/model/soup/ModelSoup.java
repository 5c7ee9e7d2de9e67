package dev.candor.model.soup;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.data.Example;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import dev.candor.model.train.ClassificationMetrics;
import dev.candor.model.train.LabelledScoring;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model soup (Wortsman et al., ICML 2022): one model whose weights are the element-wise mean of
 * several bundles fine-tuned from the same start, e.g. the same recipe at several seeds. The soup
 * has the ingredients' architecture, so a B-cos soup explains itself exactly like any B-cos model
 * (its contributions sum to its logit), and unlike an ensemble it costs one forward pass per text.
 *
 * <p>Two recipes, both judged on validation data only: {@link Recipe#UNIFORM} averages every
 * ingredient; {@link Recipe#GREEDY} ranks the ingredients by validation macro-F1 and adds each in
 * turn only when the soup's validation macro-F1 does not fall. Every ingredient and the soup are
 * scored, and the figures go into the soup's {@code metrics.json}.
 *
 * <pre>{@code
 * Soup s = ModelSoup.builder()
 *     .setIngredients(List.of(ModelBundle.read(a), ModelBundle.read(b)))
 *     .setValidation(rows, dataset.provenance("validation"))
 *     .optCommand("candor soup --models a,b")
 *     .build()
 *     .make();
 * s.writeBundle(dir);
 * }</pre>
 */
public final class ModelSoup {
  /** How ingredients are chosen. */
  public enum Recipe {
    /** Every ingredient, equally weighted. */
    UNIFORM,
    /** Best ingredient first; each further one only if validation macro-F1 does not fall. */
    GREEDY;

    /** As recorded in {@code metrics.json} and the provenance: "uniform" or "greedy". */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Receives progress (e.g. to draw a progress bar). */
  public interface Listener {
    /** While {@code what} (an ingredient's version, or a candidate soup) is being scored. */
    default void onScoring(String what, int done, int total) {}

    /** After an ingredient alone was scored. */
    default void onIngredient(String version, ClassificationMetrics validation) {}

    /** After a greedy step tried adding {@code version}; {@code kept} says whether it stayed. */
    default void onCandidate(String version, ClassificationMetrics withIt, boolean kept) {}

    Listener NONE = new Listener() {};
  }

  private final List<ModelBundle> ingredients;
  private final List<Example> validation;
  private final DataSource validationSource;
  private final Recipe recipe;
  private final String command;
  private final Device device;
  private final int batchSize;
  private final Listener listener;

  private ModelSoup(Builder b) {
    this.ingredients = List.copyOf(b.ingredients);
    this.validation = List.copyOf(b.validation);
    this.validationSource = b.validationSource;
    this.recipe = b.recipe;
    this.command = b.command;
    this.device = b.device;
    this.batchSize = b.batchSize;
    this.listener = b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Scores the ingredients, mixes the soup by the recipe and records how it was made. */
  public Soup make() {
    List<Scored> scored = new ArrayList<>();
    for (ModelBundle b : ingredients) {
      ClassificationMetrics m = score(b.weights(), b.version());
      listener.onIngredient(b.version(), m);
      scored.add(new Scored(b, m));
    }
    List<Scored> inSoup = new ArrayList<>();
    Map<String, TensorData> weights;
    ClassificationMetrics soupMetrics;
    if (recipe == Recipe.UNIFORM) {
      inSoup.addAll(scored);
      weights = average(ingredients);
      soupMetrics = score(weights, "uniform soup");
    } else {
      List<Scored> ranked = new ArrayList<>(scored);
      // stable: ties keep the order the ingredients were given in
      ranked.sort(Comparator.comparingDouble((Scored s) -> s.validation.macroF1()).reversed());
      inSoup.add(ranked.get(0));
      weights = ranked.get(0).bundle.weights();
      soupMetrics = ranked.get(0).validation;
      for (Scored candidate : ranked.subList(1, ranked.size())) {
        List<ModelBundle> trial = new ArrayList<>();
        inSoup.forEach(s -> trial.add(s.bundle));
        trial.add(candidate.bundle);
        Map<String, TensorData> w = average(trial);
        ClassificationMetrics m = score(w, "soup + " + candidate.bundle.version());
        boolean kept = m.macroF1() >= soupMetrics.macroF1();
        listener.onCandidate(candidate.bundle.version(), m, kept);
        if (kept) {
          inSoup.add(candidate);
          weights = w;
          soupMetrics = m;
        }
      }
    }
    ModelBundle first = ingredients.get(0);
    Set<ModelBundle> kept = new HashSet<>();
    inSoup.forEach(s -> kept.add(s.bundle));
    return new Soup(
        first.config(),
        first.tokenizerJson(),
        weights,
        metrics(scored, kept, soupMetrics),
        provenance(inSoup));
  }

  /** Scores {@code weights} with the ingredients' config and tokenizer (the same for all). */
  private ClassificationMetrics score(Map<String, TensorData> weights, String what) {
    ModelBundle first = ingredients.get(0);
    try (CandorModel m =
        CandorModel.of(
            first.config(), weights, first.tokenizerJson(), what, device, DataType.FLOAT32)) {
      return LabelledScoring.score(
          m, validation, batchSize, done -> listener.onScoring(what, done, validation.size()));
    }
  }

  /**
   * The element-wise mean of the bundles' weights, summed in double precision so that the order of
   * the ingredients does not change the result beyond float32 rounding.
   */
  static Map<String, TensorData> average(List<ModelBundle> bundles) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, TensorData> e : bundles.get(0).weights().entrySet()) {
      float[] first = e.getValue().values();
      double[] sum = new double[first.length];
      for (ModelBundle b : bundles) {
        float[] v = b.weights().get(e.getKey()).values();
        for (int i = 0; i < v.length; i++) {
          sum[i] += v[i];
        }
      }
      float[] mean = new float[sum.length];
      for (int i = 0; i < sum.length; i++) {
        mean[i] = (float) (sum[i] / bundles.size());
      }
      out.put(e.getKey(), new TensorData(e.getValue().shape().clone(), mean));
    }
    return out;
  }

  private Map<String, Object> metrics(
      List<Scored> scored, Set<ModelBundle> kept, ClassificationMetrics soup) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("recipe", recipe.label());
    metrics.put("validation", soup.asMap());
    List<Map<String, Object>> each = new ArrayList<>();
    for (Scored s : scored) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", s.bundle.version());
      m.put("manifest_sha256", s.bundle.manifestSha256());
      m.put("in_soup", kept.contains(s.bundle));
      m.put("validation", s.validation.asMap());
      each.add(m);
    }
    metrics.put("ingredients", each);
    return metrics;
  }

  private ModelProvenance provenance(List<Scored> inSoup) {
    ModelBundle first = ingredients.get(0);
    Map<String, Object> hyper = new LinkedHashMap<>();
    hyper.put("soup_recipe", recipe.label());
    hyper.put("soup_ingredients", inSoup.stream().map(s -> s.bundle.version()).toList());
    hyper.put(
        "soup_ingredient_manifest_sha256",
        inSoup.stream().map(s -> s.bundle.manifestSha256()).toList());
    hyper.put("soup_selection_metric", "validation macro-F1");
    hyper.putAll(first.config().provenanceSettings());
    Map<String, Object> each = new LinkedHashMap<>();
    for (Scored s : inSoup) {
      each.put(s.bundle.version(), s.bundle.provenance().hyperParameters());
    }
    hyper.put("ingredient_hyperparameters", each);
    Set<DataSource> data = new LinkedHashSet<>();
    for (Scored s : inSoup) {
      if (s.bundle.provenance().data() != null) {
        data.addAll(s.bundle.provenance().data());
      }
    }
    data.add(validationSource);
    Lineage start = first.provenance().lineage();
    return ModelProvenance.now(command, start, hyper, List.copyOf(data));
  }

  private record Scored(ModelBundle bundle, ClassificationMetrics validation) {}

  /** {@code setX} for what is required, {@code optX} for the rest (DJL's convention). */
  public static final class Builder {
    private List<ModelBundle> ingredients;
    private List<Example> validation;
    private DataSource validationSource;
    private Recipe recipe = Recipe.UNIFORM;
    private String command = "unknown";
    private Device device = Device.cpu();
    private int batchSize = 64;
    private Listener listener = Listener.NONE;

    private Builder() {}

    /** Two or more bundles fine-tuned from the same start (checked in {@link #build}). */
    public Builder setIngredients(List<ModelBundle> ingredients) {
      this.ingredients = List.copyOf(ingredients);
      return this;
    }

    /**
     * Labelled validation rows (class indices of the ingredients' labels) that score the
     * ingredients and the soup, and the data source recorded for them.
     */
    public Builder setValidation(List<Example> rows, DataSource source) {
      this.validation = List.copyOf(rows);
      this.validationSource = Objects.requireNonNull(source, "source cannot be null");
      return this;
    }

    /** Default: {@link Recipe#UNIFORM}. */
    public Builder optRecipe(Recipe recipe) {
      this.recipe = Objects.requireNonNull(recipe, "recipe cannot be null");
      return this;
    }

    /** The invocation recorded in the provenance (default: "unknown"). */
    public Builder optCommand(String command) {
      this.command = Objects.requireNonNull(command, "command cannot be null");
      return this;
    }

    /** Where scoring runs (default: CPU). */
    public Builder optDevice(Device device) {
      this.device = Objects.requireNonNull(device, "device cannot be null");
      return this;
    }

    /** Texts per scoring batch (default 64). */
    public Builder optBatchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    public Builder optListener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener cannot be null");
      return this;
    }

    /**
     * Checks that the ingredients can be averaged: at least two distinct bundles with the same
     * architecture, classes, tokenizer and tensors, fine-tuned from the same start (base weights
     * checksum and parent bundle in their provenance). Weights of models that started from other
     * pre-trained weights are not in one basin, and their mean is not a model of either.
     */
    public ModelSoup build() {
      if (ingredients == null || ingredients.size() < 2) {
        throw new IllegalArgumentException(
            "a soup needs at least two bundles, got "
                + (ingredients == null ? 0 : ingredients.size()));
      }
      if (validation == null || validation.isEmpty()) {
        throw new IllegalStateException("set the validation rows: setValidation(…)");
      }
      Set<String> seen = new HashSet<>();
      ModelBundle first = ingredients.get(0);
      Start start = Start.of(first);
      for (ModelBundle b : ingredients) {
        if (!seen.add(b.manifestSha256())) {
          throw new IllegalArgumentException(b.version() + " is given twice");
        }
        if (!b.config().equals(first.config())) {
          throw new IllegalArgumentException(
              b.version()
                  + " has another architecture, classes or B than "
                  + first.version()
                  + ": "
                  + b.config()
                  + " vs "
                  + first.config());
        }
        if (!Arrays.equals(b.tokenizerJson(), first.tokenizerJson())) {
          throw new IllegalArgumentException(
              b.version() + " has another tokenizer than " + first.version());
        }
        Start s = Start.of(b);
        if (!s.equals(start)) {
          throw new IllegalArgumentException(
              b.version()
                  + " was fine-tuned from another start than "
                  + first.version()
                  + " ("
                  + s
                  + " vs "
                  + start
                  + "); only models fine-tuned from the same weights can be averaged");
        }
        for (Map.Entry<String, TensorData> e : first.weights().entrySet()) {
          TensorData t = b.weights().get(e.getKey());
          if (t == null || !Arrays.equals(t.shape(), e.getValue().shape())) {
            throw new IllegalArgumentException(
                b.version()
                    + " has no tensor "
                    + e.getKey()
                    + " of shape "
                    + e.getValue().shapeString());
          }
        }
        if (b.weights().size() != first.weights().size()) {
          throw new IllegalArgumentException(
              b.version() + " has other tensors than " + first.version());
        }
      }
      int k = first.config().numLabels();
      for (Example e : validation) {
        if (e.label() < 0 || e.label() >= k) {
          throw new IllegalArgumentException(
              "validation row " + e.id() + " has label " + e.label() + " but the models have " + k);
        }
      }
      return new ModelSoup(this);
    }
  }

  /**
   * Where a bundle's fine-tuning started, as its provenance records it: the pre-trained weights and
   * the bundle it continued from. The head's random initialisation may differ (`candor train
   * --seed` seeds it): the head is one layer on top, and the greedy recipe measures whether a mix
   * works.
   */
  private record Start(String baseSha256, String parentSha256) {
    static Start of(ModelBundle b) {
      ModelProvenance p = b.provenance();
      if (p == null || p.baseModelSha256() == null) {
        throw new IllegalArgumentException(
            b.version()
                + " does not record the checksum of its base weights (provenance.json"
                + " baseModelSha256), so it cannot be shown to share a start with the others");
      }
      return new Start(p.baseModelSha256(), p.parentManifestSha256());
    }

    @Override
    public String toString() {
      return "base weights sha256 "
          + baseSha256.substring(0, Math.min(12, baseSha256.length()))
          + (parentSha256 == null ? "" : ", parent bundle " + parentSha256.substring(0, 12));
    }
  }
}
