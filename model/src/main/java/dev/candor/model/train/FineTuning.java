package dev.candor.model.train;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one way to make a trained model: fine-tunes a converted base model or an existing bundle with
 * {@link FineTuner} and returns a {@link TrainedModel} whose provenance (data and checksums, every
 * setting, metrics, versions, commit, command) is assembled here, where the model is made.
 *
 * <pre>{@code
 * TrainedModel m = FineTuning.builder()
 *     .setBase(BaseModels.bundledMiniLm(spec))
 *     .setConfig(TrainingConfig.defaults(1e-4, 2))
 *     .optCommand("candor train")
 *     .build()
 *     .run(TrainingData.of(train, validation));
 * m.writeBundle(dir);
 * }</pre>
 *
 * <p>Runs on the calling thread, which must not be explaining at the same time (one gradient
 * collector per process).
 */
public final class FineTuning {
  private final ModelConfig modelConfig;
  private final Map<String, TensorData> startWeights;
  private final byte[] tokenizerJson;
  private final Lineage lineage;
  private final Map<String, Object> startSettings;
  private final TrainingConfig config;
  private final TrainingListener listener;
  private final String command;
  private final Device device;
  private final DataType dtype;
  private final ModelBundle teacher;
  private final double teacherWeight;
  private final EncoderRealignment realignment;

  private FineTuning(Builder b) {
    this.modelConfig = b.modelConfig;
    this.startWeights = b.weights;
    this.tokenizerJson = b.tokenizerJson;
    this.lineage = b.lineage;
    this.startSettings = b.startSettings;
    this.config = b.config;
    this.listener = b.listener;
    this.command = b.command;
    this.device = b.device;
    this.dtype = b.dtype;
    this.teacher = b.teacher;
    this.teacherWeight = b.teacherWeight;
    this.realignment = b.realignment;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Re-aligns the encoder (if asked), trains, keeps the best epoch (by validation macro-F1) and
   * records how it was made.
   */
  public TrainedModel run(TrainingData data) {
    TeacherTargets targets = teacher == null ? null : teacherTargets(data.train());
    FineTuner.Result result;
    EncoderRealignment.Fit realigned = null;
    try (CandorModel model =
        CandorModel.of(modelConfig, startWeights, tokenizerJson, "fine-tuning", device, dtype)) {
      if (realignment != null) {
        realigned =
            realignment.fit(model, config.trainRowsOf(data.train()), config, device, listener);
      }
      Map<String, List<Example>> others = new LinkedHashMap<>(data.validationBySource());
      String primary = others.isEmpty() ? null : others.keySet().iterator().next();
      others.remove(primary);
      result =
          new FineTuner(config, listener)
              .train(model, data.train(), data.validation(), others, targets);
    }
    Map<String, Object> hyper = new LinkedHashMap<>(config.asMap());
    if (targets != null) {
      hyper.put("loss", "BCE-with-logits on (1 - w) one-hot + w teacher softmax (distillation)");
      hyper.put("teacher", teacher.version());
      hyper.put("teacher_manifest_sha256", teacher.manifestSha256());
      hyper.putAll(targets.asMap());
    }
    if (realigned != null) {
      hyper.putAll(realignment.asMap(realigned));
    }
    hyper.putAll(startSettings);
    hyper.putAll(data.preparation());
    ModelProvenance provenance = ModelProvenance.now(command, lineage, hyper, data.sources());
    return new TrainedModel(modelConfig, tokenizerJson, result, metrics(result, data), provenance);
  }

  /** Scores the (limited) training rows with the teacher, which is closed before training. */
  private TeacherTargets teacherTargets(List<Example> train) {
    List<Example> rows = config.trainRowsOf(train);
    try (CandorModel t =
        CandorModel.of(
            teacher.config(),
            teacher.weights(),
            teacher.tokenizerJson(),
            teacher.version(),
            device,
            DataType.FLOAT32)) {
      return TeacherTargets.score(
          t,
          rows,
          teacherWeight,
          config.evalBatchSize(),
          done -> listener.onTeacher(done, rows.size()));
    }
  }

  private static Map<String, Object> metrics(FineTuner.Result result, TrainingData data) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("best_epoch", result.bestEpoch());
    metrics.put("validation", result.bestValidation().asMap());
    if (!data.validationBySource().isEmpty()) {
      Map<String, Object> by = new LinkedHashMap<>();
      by.put(data.validationBySource().keySet().iterator().next(), result.bestValidation().asMap());
      result.bestOtherValidation().forEach((k, v) -> by.put(k, v.asMap()));
      metrics.put("validation_by_source", by);
    }
    metrics.put("train_texts_per_second", result.trainTextsPerSecond());
    metrics.put("history", result.history());
    return metrics;
  }

  /** {@code setX} for what is required, {@code optX} for the rest (DJL's convention). */
  public static final class Builder {
    private ModelConfig modelConfig;
    private Map<String, TensorData> weights;
    private byte[] tokenizerJson;
    private Lineage lineage;
    private Map<String, Object> startSettings;
    private TrainingConfig config;
    private TrainingListener listener = TrainingListener.NONE;
    private String command = "unknown";
    private Device device = Device.cpu();
    private DataType dtype = DataType.FLOAT32;
    private ModelBundle teacher;
    private double teacherWeight;
    private EncoderRealignment realignment;
    private boolean fromParent;

    private Builder() {}

    /** Starts from pre-trained weights with a fresh head. */
    public Builder setBase(ConvertedModel base) {
      this.fromParent = false;
      return start(
          base.config(), base.weights(), base.tokenizerJson(), base.lineage(), base.spec().asMap());
    }

    /** Continues from a bundle (e.g. the production model); its lineage is carried over. */
    public Builder setParent(ModelBundle parent) {
      ModelProvenance p = parent.provenance();
      Lineage from = p == null ? new Lineage(null, null, null, null) : p.lineage();
      this.fromParent = true;
      return start(
          parent.config(),
          parent.weights(),
          parent.tokenizerJson(),
          from.withParent(parent.version(), parent.manifestSha256()),
          parent.config().provenanceSettings());
    }

    private Builder start(
        ModelConfig c,
        Map<String, TensorData> w,
        byte[] tokenizer,
        Lineage l,
        Map<String, Object> settings) {
      this.modelConfig = c;
      this.weights = w;
      this.tokenizerJson = tokenizer;
      this.lineage = l;
      this.startSettings = settings;
      return this;
    }

    public Builder setConfig(TrainingConfig config) {
      this.config = config;
      return this;
    }

    /** Progress callbacks (default: none). */
    public Builder optListener(TrainingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener cannot be null");
      return this;
    }

    /** The invocation recorded in the provenance (default: "unknown"). */
    public Builder optCommand(String command) {
      this.command = Objects.requireNonNull(command, "command cannot be null");
      return this;
    }

    /** Where training runs (default: CPU). */
    public Builder optDevice(Device device) {
      this.device = Objects.requireNonNull(device, "device cannot be null");
      return this;
    }

    /** Training precision (default: float32). */
    public Builder optDataType(DataType dtype) {
      this.dtype = Objects.requireNonNull(dtype, "dtype cannot be null");
      return this;
    }

    /**
     * Distils {@code teacher} (any bundle with the same classes, e.g. a conventionally fine-tuned
     * model) into the model being trained: targets become {@code (1 − weight)·one-hot + weight·the
     * teacher's probabilities} ({@link TeacherTargets}). Default: no teacher.
     *
     * @param weight the teacher's share of each target, in (0, 1]
     */
    public Builder optTeacher(ModelBundle teacher, double weight) {
      TeacherTargets.checkWeight(weight);
      this.teacher = Objects.requireNonNull(teacher, "teacher cannot be null");
      this.teacherWeight = weight;
      return this;
    }

    /**
     * Before the task epochs, re-aligns the converted B-cos encoder to the conventional pre-trained
     * one ({@link EncoderRealignment}); only with {@link #setBase} of a B-cos conversion of the
     * same encoder. Default: none.
     */
    public Builder optRealignment(EncoderRealignment realignment) {
      this.realignment = Objects.requireNonNull(realignment, "realignment cannot be null");
      return this;
    }

    public FineTuning build() {
      if (modelConfig == null) {
        throw new IllegalStateException("set a starting point: setBase(…) or setParent(…)");
      }
      if (config == null) {
        throw new IllegalStateException("set the training config: setConfig(…)");
      }
      if (teacher != null && !teacher.config().labels().equals(modelConfig.labels())) {
        throw new IllegalArgumentException(
            "the teacher's classes "
                + teacher.config().labels()
                + " differ from the model's "
                + modelConfig.labels());
      }
      if (realignment != null) {
        if (fromParent) {
          throw new IllegalArgumentException(
              "re-alignment starts from a converted base (setBase), not from a trained bundle:"
                  + " it would undo the bundle's fine-tuning");
        }
        realignment.checkStudent(modelConfig, tokenizerJson);
      }
      return new FineTuning(this);
    }
  }
}
