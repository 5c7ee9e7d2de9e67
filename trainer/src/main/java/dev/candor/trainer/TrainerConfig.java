package dev.candor.trainer;

import dev.candor.model.DeviceChoice;
import dev.candor.model.data.DataMix;
import dev.candor.schemas.ConfigSources;
import dev.candor.schemas.Topics;
import dev.candor.trainer.feedback.PenaltyMode;
import dev.candor.trainer.feedback.StandingMarks;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one configuration of the trainer, validated when built: every key {@code candor.}-prefixed
 * and declared once in {@link #configDef()} with type, default, validator and documentation. A
 * properties file, then environment variables ({@code candor.round.min.feedback} ↔ {@code
 * CANDOR_ROUND_MIN_FEEDBACK}) override the defaults; an unknown {@code candor.} key is an error.
 */
public final class TrainerConfig extends AbstractConfig {

  public static final String BOOTSTRAP_SERVERS_CONFIG = "candor.bootstrap.servers";
  public static final String TOPIC_PREFIX_CONFIG = "candor.topic.prefix";
  public static final String MODEL_NAME_CONFIG = "candor.model.name";
  public static final String REGISTRY_DIR_CONFIG = "candor.registry.dir";
  public static final String BOOTSTRAP_BUNDLE_CONFIG = "candor.bootstrap.bundle";
  public static final String DEVICE_CONFIG = "candor.device";
  public static final String ROUND_MIN_FEEDBACK_CONFIG = "candor.round.min.feedback";
  public static final String ROUND_INTERVAL_MINUTES_CONFIG = "candor.round.interval.minutes";
  public static final String POLL_SECONDS_CONFIG = "candor.poll.seconds";
  public static final String REPLAY_FILE_CONFIG = "candor.replay.file";
  public static final String REPLAY_SIZE_CONFIG = "candor.replay.size";
  public static final String VALIDATION_FILE_CONFIG = "candor.validation.file";
  public static final String VALIDATION_SIZE_CONFIG = "candor.validation.size";
  public static final String HOLDOUT_FRACTION_CONFIG = "candor.holdout.fraction";
  public static final String EPOCHS_CONFIG = "candor.train.epochs";
  public static final String LEARNING_RATE_CONFIG = "candor.train.learning.rate";
  public static final String BATCH_SIZE_CONFIG = "candor.train.batch.size";
  public static final String SEED_CONFIG = "candor.train.seed";
  public static final String THREADS_CONFIG = "candor.train.threads";
  public static final String AUGMENT_CONFIG = "candor.train.augment";
  public static final String PENALTY_CONFIG = "candor.train.penalty";
  public static final String PENALTY_LAMBDA_CONFIG = "candor.train.penalty.lambda";
  public static final String STANDING_MARKS_CONFIG = "candor.train.standing.marks";
  public static final String DISTILL_CONFIG = "candor.train.distill";
  public static final String DISTILL_MARKED_CONFIG = "candor.train.distill.marked";
  public static final String METRICS_PORT_CONFIG = "candor.trainer.metrics.port";
  public static final String GATE_EXPLAIN_SIZE_CONFIG = "candor.gate.explain.size";
  public static final String TOLERANCE_PREFIX = "candor.gate.tolerance.";

  /** Gate figures with a tolerance; "higher is better" for all but marked_share. */
  public static final java.util.List<String> GATE_FIGURES =
      java.util.List.of(
          "accuracy",
          "macro_f1",
          "auroc",
          "comp",
          "bias_subgroup_auc",
          "bias_bpsn_auc",
          "bias_bnsp_auc",
          "marked_share");

  private static final ConfigDef CONFIG = build();

  public TrainerConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
    for (Object k : props.keySet()) {
      String key = String.valueOf(k);
      if (key.startsWith("candor.") && !CONFIG.names().contains(key)) {
        throw new ConfigException(key, props.get(k), "unknown trainer key");
      }
    }
  }

  /** Loads a properties file (may be null) and applies environment overrides. */
  public static TrainerConfig load(
      Path file, Map<String, String> overrides, Map<String, String> env) {
    Map<Object, Object> merged =
        ConfigSources.withEnvironment(ConfigSources.read(file), CONFIG.names(), env);
    merged.putAll(overrides);
    return new TrainerConfig(merged);
  }

  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS_CONFIG);
  }

  public Topics topics() {
    return Topics.builder().optPrefix(getString(TOPIC_PREFIX_CONFIG)).build();
  }

  public String modelName() {
    return getString(MODEL_NAME_CONFIG);
  }

  public Path registryDir() {
    return Path.of(getString(REGISTRY_DIR_CONFIG));
  }

  /** Bundle imported as the first version of an empty registry, or null. */
  public Path bootstrapBundle() {
    String s = getString(BOOTSTRAP_BUNDLE_CONFIG);
    return s.isBlank() ? null : Path.of(s);
  }

  public DeviceChoice device() {
    return DeviceChoice.parse(getString(DEVICE_CONFIG));
  }

  public int roundMinFeedback() {
    return getInt(ROUND_MIN_FEEDBACK_CONFIG);
  }

  public long roundIntervalMinutes() {
    return getLong(ROUND_INTERVAL_MINUTES_CONFIG);
  }

  public int pollSeconds() {
    return getInt(POLL_SECONDS_CONFIG);
  }

  /**
   * The replay files with their mixing weights ({@code a.jsonl,b.jsonl=0.3}: {@link DataMix}), or
   * an empty list for no replay.
   */
  public List<DataMix.Entry> replaySources() {
    String s = getString(REPLAY_FILE_CONFIG);
    return s.isBlank() ? List.of() : DataMix.parse(s);
  }

  public int replaySize() {
    return getInt(REPLAY_SIZE_CONFIG);
  }

  public Path validationFile() {
    String s = getString(VALIDATION_FILE_CONFIG);
    return s.isBlank() ? null : Path.of(s);
  }

  public int validationSize() {
    return getInt(VALIDATION_SIZE_CONFIG);
  }

  public double holdoutFraction() {
    return getDouble(HOLDOUT_FRACTION_CONFIG);
  }

  public int epochs() {
    return getInt(EPOCHS_CONFIG);
  }

  public double learningRate() {
    return getDouble(LEARNING_RATE_CONFIG);
  }

  public int batchSize() {
    return getInt(BATCH_SIZE_CONFIG);
  }

  public long seed() {
    return getLong(SEED_CONFIG);
  }

  public int threads() {
    return getInt(THREADS_CONFIG);
  }

  public boolean augment() {
    return getBoolean(AUGMENT_CONFIG);
  }

  /** Term sets marked as spurious in every training text of a round (see {@link StandingMarks}). */
  public StandingMarks standingMarks() {
    return StandingMarks.of(getList(STANDING_MARKS_CONFIG));
  }

  public PenaltyMode penalty() {
    return PenaltyMode.valueOf(
        getString(PENALTY_CONFIG).toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public double penaltyLambda() {
    return getDouble(PENALTY_LAMBDA_CONFIG);
  }

  /** Weight μ of replay distillation (0: off). */
  public double distill() {
    return getDouble(DISTILL_CONFIG);
  }

  /** Whether distillation also holds marked rows at production's logits. */
  public boolean distillMarked() {
    return getBoolean(DISTILL_MARKED_CONFIG);
  }

  public int gateExplainSize() {
    return getInt(GATE_EXPLAIN_SIZE_CONFIG);
  }

  /** Tolerance per gate figure. */
  public Map<String, Double> tolerances() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String f : GATE_FIGURES) {
      out.put(f, getDouble(TOLERANCE_PREFIX + f.replace('_', '.')));
    }
    return out;
  }

  private static ConfigDef build() {
    ConfigDef d =
        new ConfigDef()
            .define(
                BOOTSTRAP_SERVERS_CONFIG,
                Type.STRING,
                "localhost:9092",
                Importance.HIGH,
                "Kafka bootstrap servers.")
            .define(
                TOPIC_PREFIX_CONFIG,
                Type.STRING,
                Topics.DEFAULT_PREFIX,
                Importance.MEDIUM,
                "Prefix of every topic name.")
            .define(
                MODEL_NAME_CONFIG,
                Type.STRING,
                "default",
                Importance.MEDIUM,
                "Key of the ModelUpdate records this trainer publishes.")
            .define(
                REGISTRY_DIR_CONFIG,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Directory of the model registry (versions, records, CURRENT).")
            .define(
                BOOTSTRAP_BUNDLE_CONFIG,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Bundle imported as the first version when the registry is empty.")
            .define(
                DEVICE_CONFIG,
                Type.STRING,
                "auto",
                ValidString.in("auto", "cpu", "gpu"),
                Importance.LOW,
                "Where training runs.")
            .define(
                ROUND_MIN_FEEDBACK_CONFIG,
                Type.INT,
                50,
                Range.atLeast(1),
                Importance.MEDIUM,
                "A round starts once this many new feedback records arrived since the last round.")
            .define(
                ROUND_INTERVAL_MINUTES_CONFIG,
                Type.LONG,
                60L,
                Range.atLeast(1),
                Importance.MEDIUM,
                "A round also starts when this many minutes passed since the last one and at"
                    + " least one new feedback record arrived.")
            .define(
                POLL_SECONDS_CONFIG,
                Type.INT,
                10,
                Range.between(1, 3600),
                Importance.LOW,
                "How often the feedback topic's end offsets are checked.")
            .define(
                REPLAY_FILE_CONFIG,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "JSONL file of base training data sampled for replay (empty: no replay), or"
                    + " several with mixing weights, e.g. hatexplain/train.jsonl,"
                    + "davidson/train.jsonl=0.3: the replay size is shared in proportion to the"
                    + " weights (docs/training-data.md).")
            .define(
                REPLAY_SIZE_CONFIG,
                Type.INT,
                4000,
                Range.atLeast(0),
                Importance.MEDIUM,
                "Texts sampled from the replay file per round.")
            .define(
                VALIDATION_FILE_CONFIG,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "JSONL file of the fixed held-out set (empty: only held-out feedback).")
            .define(
                VALIDATION_SIZE_CONFIG,
                Type.INT,
                500,
                Range.atLeast(0),
                Importance.MEDIUM,
                "First N texts of the validation file used by the gate.")
            .define(
                HOLDOUT_FRACTION_CONFIG,
                Type.DOUBLE,
                0.2,
                Range.between(0.0, 0.9),
                Importance.MEDIUM,
                "Share of feedback texts (chosen by a hash of the text id, so stable across"
                    + " rounds) held out for the gate and never trained on.")
            .define(EPOCHS_CONFIG, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM, "Epochs.")
            .define(
                METRICS_PORT_CONFIG,
                Type.INT,
                9465,
                Range.between(0, 65535),
                Importance.LOW,
                "Port of the trainer's Prometheus /metrics (rounds by gate decision); 0 turns it"
                    + " off.")
            .define(
                LEARNING_RATE_CONFIG,
                Type.DOUBLE,
                1e-4,
                Range.between(1e-8, 0.5),
                Importance.MEDIUM,
                "Peak AdamW learning rate (10 % warm-up, linear decay); the default is `candor"
                    + " train`'s for B-cos models (a conventional production bundle trains at"
                    + " 5e-5).")
            .define(
                BATCH_SIZE_CONFIG,
                Type.INT,
                16,
                Range.atLeast(1),
                Importance.LOW,
                "Texts per step.")
            .define(SEED_CONFIG, Type.LONG, 42L, Importance.LOW, "Seed of sampling and shuffling.")
            .define(
                THREADS_CONFIG,
                Type.INT,
                1,
                Range.between(1, 256),
                Importance.MEDIUM,
                "PyTorch intra-op threads of the trainer, kept low so it does not starve a stream"
                    + " app on the same machine.")
            .define(
                AUGMENT_CONFIG,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Add a copy of each text with marked spans masked, label kept.")
            .define(
                PENALTY_CONFIG,
                Type.STRING,
                "consistency",
                ValidString.in(
                    "none", "consistency", "ablation", "input-x-gradient", "bcos-frozen"),
                Importance.MEDIUM,
                "Explanation penalty on marked tokens (see PenaltyMode); input-x-gradient and"
                    + " bcos-frozen are experimental: their memory grows every step.")
            .define(
                PENALTY_LAMBDA_CONFIG,
                Type.DOUBLE,
                1.0,
                Range.atLeast(0.0),
                Importance.MEDIUM,
                "Weight λ of the penalty.")
            .define(
                DISTILL_CONFIG,
                Type.DOUBLE,
                0.0,
                Range.atLeast(0.0),
                Importance.MEDIUM,
                "Weight μ of replay distillation: the squared distance between the candidate's"
                    + " logits and production's on training rows without marks (0: off). It keeps"
                    + " the model where reviewers said nothing, so the penalty does not drift every"
                    + " prediction.")
            .define(
                DISTILL_MARKED_CONFIG,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Distil marked rows too (masked copies excepted): with the penalty, the round then"
                    + " asks for production's prediction without the marked tokens' contribution.")
            .define(
                STANDING_MARKS_CONFIG,
                Type.LIST,
                "",
                ValidList.in(true, StandingMarks.NAMES.toArray(new String[0])),
                Importance.MEDIUM,
                "Term sets treated as reviewer-marked in every training text of a round, replay"
                    + " included (augmentation and penalty apply to them): placeholders"
                    + " (<user>, <number>, <url>), identity (identity-group words). Empty: only"
                    + " what reviewers marked.")
            .define(
                GATE_EXPLAIN_SIZE_CONFIG,
                Type.INT,
                200,
                Range.atLeast(0),
                Importance.LOW,
                "Held-out texts explained for Comp and the marked-token share.");
    Map<String, Double> defaults = new LinkedHashMap<>();
    defaults.put("accuracy", 0.01);
    defaults.put("macro_f1", 0.01);
    defaults.put("auroc", 0.01);
    defaults.put("comp", 0.02);
    defaults.put("bias_subgroup_auc", 0.02);
    defaults.put("bias_bpsn_auc", 0.02);
    defaults.put("bias_bnsp_auc", 0.02);
    defaults.put("marked_share", 0.02);
    for (Map.Entry<String, Double> e : defaults.entrySet()) {
      d.define(
          TOLERANCE_PREFIX + e.getKey().replace('_', '.'),
          Type.DOUBLE,
          e.getValue(),
          Range.atLeast(0.0),
          Importance.MEDIUM,
          e.getKey().equals("marked_share")
              ? "How much higher the candidate's share of |attribution| on reviewer-marked tokens"
                  + " may be than production's."
              : "How much lower the candidate's " + e.getKey() + " may be than production's.");
    }
    return d;
  }

  @Override
  public String toString() {
    return "TrainerConfig" + values();
  }

  /** The trainer's /metrics port; 0 when off. */
  public int metricsPort() {
    return getInt(METRICS_PORT_CONFIG);
  }
}
