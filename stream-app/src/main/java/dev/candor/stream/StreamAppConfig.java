package dev.candor.stream;

import dev.candor.model.DeviceChoice;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.tokenize.SubBatchPlanner;
import dev.candor.schemas.ConfigSources;
import dev.candor.schemas.InputDecoder;
import dev.candor.schemas.TopicKind;
import dev.candor.schemas.Topics;
import dev.candor.stream.flags.ArtifactTokenRule;
import dev.candor.stream.flags.CounterfactualSwapRule;
import dev.candor.stream.flags.IdentityLexicon;
import dev.candor.stream.flags.IdentityTermRule;
import dev.candor.stream.flags.ReviewerRejectedTokenRule;
import dev.candor.stream.flags.SpecialTokenMassRule;
import dev.candor.stream.flags.SpuriousFlagRule;
import dev.candor.stream.flags.ThinEvidenceRule;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.internals.DeadLetterProcessingExceptionHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * The one configuration of the stream app: every key is {@code candor.}-prefixed, declared once in
 * {@link #configDef()} with its type, default, validator and documentation (Kafka style).
 *
 * <p>Sources, later ones winning: a properties file, then environment variables named after the key
 * ({@code candor.max.batch.size} ↔ {@code CANDOR_MAX_BATCH_SIZE}). Any key under {@value
 * #STREAMS_PREFIX} is passed to Kafka Streams with the prefix removed (e.g. {@code
 * candor.streams.num.stream.threads=2}); those keys are not read from the environment because the
 * variable name cannot be mapped back unambiguously. An unknown {@code candor.} key is an error, so
 * a typo does not silently fall back to a default.
 */
public final class StreamAppConfig extends AbstractConfig {

  /** Prefix of every key. */
  public static final String PREFIX = "candor.";

  /** Keys under this prefix go to Kafka Streams unchanged apart from the prefix. */
  public static final String STREAMS_PREFIX = "candor.streams.";

  public static final String BOOTSTRAP_SERVERS_CONFIG = "candor.bootstrap.servers";
  private static final String BOOTSTRAP_SERVERS_DOC =
      "Kafka bootstrap servers, host:port[,host:port].";

  public static final String APPLICATION_ID_CONFIG = "candor.application.id";
  private static final String APPLICATION_ID_DOC =
      "Kafka Streams application id: consumer group,"
          + " prefix of internal topics and of the state directory.";

  public static final String INSTANCE_ID_CONFIG = "candor.instance.id";
  private static final String INSTANCE_ID_DOC =
      "Static group membership id (group.instance.id) of this instance; must differ between"
          + " instances and stay the same across restarts, so a restart takes over its"
          + " partitions at once instead of after the session timeout. Empty means"
          + " '<application.id>-0'.";

  public static final String STATE_DIR_CONFIG = "candor.state.dir";
  private static final String STATE_DIR_DOC =
      "Directory of the local state stores (the micro-batch"
          + " buffer). Keep it across restarts; it is only wiped by an explicit reset.";

  public static final String TOPIC_PREFIX_CONFIG = "candor.topic.prefix";
  private static final String TOPIC_PREFIX_DOC =
      "Prefix of every topic name without an explicit" + " candor.topic.<kind> override.";

  /**
   * Per-topic override keys: {@code candor.topic.texts}, ..., {@code candor.topic.dead-letters}.
   */
  public static final String TOPIC_TEXTS_CONFIG = topicKey(TopicKind.TEXTS);

  public static final String TOPIC_PREDICTIONS_CONFIG = topicKey(TopicKind.PREDICTIONS);
  public static final String TOPIC_FLAGS_CONFIG = topicKey(TopicKind.FLAGS);
  public static final String TOPIC_FEEDBACK_CONFIG = topicKey(TopicKind.FEEDBACK);
  public static final String TOPIC_MODEL_UPDATES_CONFIG = topicKey(TopicKind.MODEL_UPDATES);
  public static final String TOPIC_DEAD_LETTERS_CONFIG = topicKey(TopicKind.DEAD_LETTERS);

  public static final String MODEL_BUNDLE_DIR_CONFIG = "candor.model.bundle.dir";
  private static final String MODEL_BUNDLE_DIR_DOC =
      "Model bundle directory to start with; later" + " bundles arrive on the model-updates topic.";

  public static final String MODEL_NAME_CONFIG = "candor.model.name";
  private static final String MODEL_NAME_DOC =
      "Only model updates with this record key (model"
          + " name) are applied; empty applies every update.";

  public static final String DEVICE_CONFIG = "candor.device";
  private static final String DEVICE_DOC =
      "Where the model runs: auto (first GPU if the engine sees" + " one, else CPU), cpu or gpu.";

  public static final String EXPLANATION_TARGET_CONFIG = "candor.explanation.target";
  private static final String EXPLANATION_TARGET_DOC =
      "What the streamed explanation decomposes: logit (the predicted class's raw logit) or"
          + " relative (that logit minus the mean of the other logits, the quantity the softmax"
          + " probability depends on). Both are exact: the contributions sum to it.";

  public static final String MAX_BATCH_SIZE_CONFIG = "candor.max.batch.size";
  private static final String MAX_BATCH_SIZE_DOC =
      "A batch is explained as soon as it holds this" + " many texts.";

  public static final String MAX_BATCH_DELAY_MS_CONFIG = "candor.max.batch.delay.ms";
  private static final String MAX_BATCH_DELAY_MS_DOC =
      "A batch is explained once its oldest text"
          + " has waited longer than this (wall-clock ms), however small the batch. 100 ms keeps"
          + " the p99 latency at half the sustained load under 1 s on 2 CPU cores (200 ms did"
          + " not: docs/benchmarks.md); under full load batches fill before it fires.";

  public static final String SUB_BATCHING_CONFIG = "candor.sub.batching";
  private static final String SUB_BATCHING_DOC =
      "on: a flushed batch is split into length-sorted sub-batches when the token counts say that"
          + " is cheaper than padding every text to the longest (same results, same order, same"
          + " transaction); off: one padded batch.";

  public static final String MAX_TEXT_CHARS_CONFIG = "candor.max.text.chars";
  private static final String MAX_TEXT_CHARS_DOC =
      "Longer texts (in UTF-16 chars) go to the" + " dead-letter topic with reason TEXT_TOO_LONG.";

  public static final String MAX_RECORD_BYTES_CONFIG = "candor.max.record.bytes";
  private static final String MAX_RECORD_BYTES_DOC =
      "Input records whose key, value and headers together are larger go to the dead-letter topic"
          + " with reason RECORD_TOO_LARGE. The stream copies a record into its buffer, its"
          + " prediction and a dead letter; this limit keeps each copy under the broker's message"
          + " size (1 MB by default), so one record cannot stop the stream. At most a quarter of"
          + " the producer's max.request.size.";

  public static final String FLAG_RULES_CONFIG = "candor.flag.rules";
  private static final String FLAG_RULES_DOC =
      "Classes implementing SpuriousFlagRule, run on"
          + " every explained micro-batch; a Configurable rule receives this whole config.";

  /** The detectors run by default, in order. */
  public static final List<String> DEFAULT_FLAG_RULES =
      List.of(
          SpecialTokenMassRule.class.getName(),
          ArtifactTokenRule.class.getName(),
          IdentityTermRule.class.getName(),
          CounterfactualSwapRule.class.getName(),
          ReviewerRejectedTokenRule.class.getName(),
          ThinEvidenceRule.class.getName());

  public static final String FLAG_SPECIAL_TOKEN_THRESHOLD_CONFIG =
      SpecialTokenMassRule.THRESHOLD_CONFIG;
  private static final String FLAG_SPECIAL_TOKEN_THRESHOLD_DOC =
      "SpecialTokenMassRule flags a prediction whose share of absolute attribution on"
          + " [CLS]/[SEP] is above this (0..1).";

  public static final String FLAG_BENIGN_LABELS_CONFIG = IdentityTermRule.BENIGN_LABELS_CONFIG;
  private static final String FLAG_BENIGN_LABELS_DOC =
      "Labels that are not a toxic verdict (the identity-term detector only judges other labels).";

  public static final String FLAG_ARTIFACT_THRESHOLD_CONFIG = ArtifactTokenRule.THRESHOLD_CONFIG;
  private static final String FLAG_ARTIFACT_THRESHOLD_DOC =
      "ArtifactTokenRule flags a prediction whose artifact words (placeholders such as <user>,"
          + " markup, HTML entities, URLs, @mentions; each one word however it was tokenised)"
          + " carry more than this share (0..1) of the positive word-level evidence.";

  public static final String FLAG_ARTIFACT_PATTERNS_CONFIG = ArtifactTokenRule.PATTERNS_CONFIG;
  private static final String FLAG_ARTIFACT_PATTERNS_DOC =
      "Extra Java regular expressions, comma-separated, whose matches also count as artifact"
          + " words (besides the built-in placeholder, markup, entity, URL and mention patterns).";

  public static final String FLAG_IDENTITY_LEXICON_CONFIG = IdentityTermRule.LEXICON_CONFIG;
  private static final String FLAG_IDENTITY_LEXICON_DOC =
      "Identity lexicon file (category TAB form TAB identity TAB term per line); empty means the"
          + " bundled identity-terms.tsv.";

  public static final String FLAG_IDENTITY_MIN_SHARE_CONFIG = IdentityTermRule.MIN_SHARE_CONFIG;
  private static final String FLAG_IDENTITY_MIN_SHARE_DOC =
      "IdentityTermRule flags a toxic (non-benign) prediction when an identity term carries at"
          + " least this share (0..1) of the positive word-level evidence and is among the top"
          + " candor.flag.identity.top.k words.";

  public static final String FLAG_IDENTITY_TOP_K_CONFIG = IdentityTermRule.TOP_K_CONFIG;
  private static final String FLAG_IDENTITY_TOP_K_DOC =
      "The identity term must be among this many words with the largest attribution.";

  public static final String FLAG_COUNTERFACTUAL_MAX_SWAPS_CONFIG =
      CounterfactualSwapRule.MAX_SWAPS_CONFIG;
  private static final String FLAG_COUNTERFACTUAL_MAX_SWAPS_DOC =
      "CounterfactualSwapRule re-classifies at most this many swapped versions of each text that"
          + " contains an identity term (all swaps of a micro-batch in one forward pass).";

  public static final String FLAG_COUNTERFACTUAL_MIN_DELTA_CONFIG =
      CounterfactualSwapRule.MIN_DELTA_CONFIG;
  private static final String FLAG_COUNTERFACTUAL_MIN_DELTA_DOC =
      "CounterfactualSwapRule flags when a swap moves the predicted label's probability by more"
          + " than this (0..1), or flips the label (see"
          + " candor.flag.counterfactual.min.flip.delta).";

  public static final String FLAG_COUNTERFACTUAL_MIN_SHARE_CONFIG =
      CounterfactualSwapRule.MIN_SHARE_CONFIG;
  private static final String FLAG_COUNTERFACTUAL_MIN_SHARE_DOC =
      "CounterfactualSwapRule only swaps identity terms that carry at least this share (0..1) of"
          + " the positive word-level evidence for the prediction (all occurrences together); 0"
          + " swaps every identity term. Bounds the cost to texts where the term matters.";

  public static final String FLAG_COUNTERFACTUAL_MIN_FLIP_DELTA_CONFIG =
      CounterfactualSwapRule.MIN_FLIP_DELTA_CONFIG;
  private static final String FLAG_COUNTERFACTUAL_MIN_FLIP_DELTA_DOC =
      "A swap that flips the predicted label is only flagged if it moves the predicted label's"
          + " probability by at least this (0..1), so texts on the decision boundary are not"
          + " flagged for noise.";

  public static final String FLAG_REVIEWER_MIN_MARKS_CONFIG =
      ReviewerRejectedTokenRule.MIN_MARKS_CONFIG;
  private static final String FLAG_REVIEWER_MIN_MARKS_DOC =
      "ReviewerRejectedTokenRule treats a word as rejected once this many current reviewer"
          + " judgements (one per text and reviewer, from the feedback topic) mark it spurious.";

  public static final String FLAG_REVIEWER_MIN_SHARE_CONFIG =
      ReviewerRejectedTokenRule.MIN_SHARE_CONFIG;
  private static final String FLAG_REVIEWER_MIN_SHARE_DOC =
      "ReviewerRejectedTokenRule flags when a rejected word carries at least this share (0..1)"
          + " of the positive word-level evidence and is among the top"
          + " candor.flag.reviewer.top.k words.";

  public static final String FLAG_REVIEWER_TOP_K_CONFIG = ReviewerRejectedTokenRule.TOP_K_CONFIG;
  private static final String FLAG_REVIEWER_TOP_K_DOC =
      "The rejected word must be among this many words with the largest attribution.";

  public static final String FLAG_THIN_THRESHOLD_CONFIG = ThinEvidenceRule.THRESHOLD_CONFIG;
  private static final String FLAG_THIN_THRESHOLD_DOC =
      "ThinEvidenceRule flags when the token with the largest attribution is a sub-word piece or"
          + " punctuation and carries more than this share (0..1) of the positive token-level"
          + " evidence.";

  public static final String PREDICTIONS_INCLUDE_TEXT_CONFIG = "candor.predictions.include.text";
  private static final String PREDICTIONS_INCLUDE_TEXT_DOC =
      "Also put the input text on candor.predictions records (flag records always carry it).";

  public static final String EXPLAIN_LABEL_CONFIG = "candor.explain.label";
  private static final String EXPLAIN_LABEL_DOC =
      "The class whose logit every prediction's attributions explain: 'predicted' (each text's"
          + " arg-max class) or one of the model's label names (e.g. 'hatespeech' for a"
          + " three-class HateXplain model). Every prediction carries all class scores either way."
          + " The flag detectors judge only explanations of the predicted class.";

  public static final String METRICS_PORT_CONFIG = "candor.metrics.port";
  private static final String METRICS_PORT_DOC =
      "Port of the HTTP server for /metrics (Prometheus)" + " and /health; 0 turns it off.";

  public static final String METRICS_HOST_CONFIG = "candor.metrics.host";
  private static final String METRICS_HOST_DOC = "Address the metrics server binds to.";

  public static final String STARTUP_TIMEOUT_MS_CONFIG = "candor.startup.timeout.ms";
  private static final String STARTUP_TIMEOUT_MS_DOC =
      "How long start() waits for Kafka Streams to" + " reach RUNNING before it fails.";

  private static final ConfigDef CONFIG = buildConfigDef();

  /**
   * Parses and validates {@code props}.
   *
   * @param props keys and values (strings or typed values)
   * @throws ConfigException naming the offending key if a value is missing or invalid, or a {@code
   *     candor.} key is unknown
   */
  public StreamAppConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
    rejectUnknownKeys(props);
  }

  /**
   * Loads a properties file and applies environment overrides from {@link System#getenv()}.
   *
   * @param file the properties file
   * @return the config
   * @throws ConfigException if the file cannot be read or a value is invalid
   */
  public static StreamAppConfig load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Loads a properties file and applies overrides from {@code env}.
   *
   * @param file the properties file
   * @param env environment variables, e.g. {@code CANDOR_MAX_BATCH_SIZE=16}
   * @return the config
   * @throws ConfigException if the file cannot be read or a value is invalid
   */
  public static StreamAppConfig load(Path file, Map<String, String> env) {
    return fromProperties(ConfigSources.read(file), env);
  }

  /**
   * Builds a config from properties plus environment overrides.
   *
   * @param props base values
   * @param env environment variables; each defined key {@code candor.a.b} is overridden by {@code
   *     CANDOR_A_B}
   * @return the config
   */
  public static StreamAppConfig fromProperties(Map<?, ?> props, Map<String, String> env) {
    return new StreamAppConfig(ConfigSources.withEnvironment(props, CONFIG.names(), env));
  }

  /**
   * The environment variable that overrides {@code key}.
   *
   * @param key a config key such as {@code candor.max.batch.size}
   * @return e.g. {@code CANDOR_MAX_BATCH_SIZE}
   */
  public static String envName(String key) {
    return ConfigSources.envName(key);
  }

  /**
   * The definition of every key, e.g. to render the reference with {@code toRst()}.
   *
   * @return the shared, unmodified definition
   */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /**
   * @return {@value #BOOTSTRAP_SERVERS_CONFIG}
   */
  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS_CONFIG);
  }

  /**
   * @return {@value #APPLICATION_ID_CONFIG}
   */
  public String applicationId() {
    return getString(APPLICATION_ID_CONFIG);
  }

  /**
   * @return {@value #INSTANCE_ID_CONFIG}, or {@code <application.id>-0} when empty
   */
  public String instanceId() {
    String id = getString(INSTANCE_ID_CONFIG);
    return id.isBlank() ? applicationId() + "-0" : id;
  }

  /**
   * @return {@value #STATE_DIR_CONFIG}
   */
  public Path stateDir() {
    return Path.of(getString(STATE_DIR_CONFIG));
  }

  /** The topics, named from the prefix and any per-topic overrides. */
  public Topics topics() {
    Topics.Builder b = Topics.builder().optPrefix(getString(TOPIC_PREFIX_CONFIG));
    for (TopicKind kind : TopicKind.values()) {
      String name = getString(topicKey(kind));
      if (!name.isBlank()) {
        b.optName(kind, name);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(TOPIC_PREFIX_CONFIG + "/candor.topic.*: " + e.getMessage());
    }
  }

  /**
   * @return {@value #MODEL_BUNDLE_DIR_CONFIG}
   */
  public Path modelBundleDir() {
    return Path.of(getString(MODEL_BUNDLE_DIR_CONFIG));
  }

  /**
   * @return {@value #MODEL_NAME_CONFIG}: the model name updates must carry, or empty for any
   */
  public String modelName() {
    return getString(MODEL_NAME_CONFIG);
  }

  /**
   * @return {@value #DEVICE_CONFIG}, parsed
   */
  public DeviceChoice device() {
    return DeviceChoice.parse(getString(DEVICE_CONFIG));
  }

  /**
   * @return {@value #EXPLANATION_TARGET_CONFIG}, parsed
   */
  public ExplanationTarget explanationTarget() {
    return ExplanationTarget.parse(getString(EXPLANATION_TARGET_CONFIG));
  }

  /**
   * @return {@value #MAX_BATCH_SIZE_CONFIG}
   */
  public int maxBatchSize() {
    return getInt(MAX_BATCH_SIZE_CONFIG);
  }

  /**
   * @return {@value #MAX_BATCH_DELAY_MS_CONFIG}
   */
  public long maxBatchDelayMs() {
    return getLong(MAX_BATCH_DELAY_MS_CONFIG);
  }

  /**
   * @return {@value #SUB_BATCHING_CONFIG}
   */
  public SubBatchPlanner subBatching() {
    return SubBatchPlanner.parse(getString(SUB_BATCHING_CONFIG));
  }

  /**
   * @return {@value #MAX_TEXT_CHARS_CONFIG}
   */
  public int maxTextChars() {
    return getInt(MAX_TEXT_CHARS_CONFIG);
  }

  /**
   * @return {@value #PREDICTIONS_INCLUDE_TEXT_CONFIG}
   */
  public boolean predictionsIncludeText() {
    return getBoolean(PREDICTIONS_INCLUDE_TEXT_CONFIG);
  }

  /**
   * @return {@value #EXPLAIN_LABEL_CONFIG}: a label name, or null for each text's predicted class
   */
  public String explainLabel() {
    String label = getString(EXPLAIN_LABEL_CONFIG).trim();
    return label.equals("predicted") ? null : label;
  }

  /**
   * @return {@value #MAX_RECORD_BYTES_CONFIG}
   */
  public int maxRecordBytes() {
    return getInt(MAX_RECORD_BYTES_CONFIG);
  }

  /** New instances of the configured flag rules, configured with this config's values. */
  public List<SpuriousFlagRule> flagRules() {
    // Parsed values (defaults included) override the raw originals, so rules get typed values.
    return getConfiguredInstances(
        FLAG_RULES_CONFIG, SpuriousFlagRule.class, new HashMap<>(values()));
  }

  /**
   * @return {@value #METRICS_PORT_CONFIG}; 0 means no metrics server
   */
  public int metricsPort() {
    return getInt(METRICS_PORT_CONFIG);
  }

  /**
   * @return {@value #METRICS_HOST_CONFIG}
   */
  public String metricsHost() {
    return getString(METRICS_HOST_CONFIG);
  }

  /**
   * @return {@value #STARTUP_TIMEOUT_MS_CONFIG}
   */
  public long startupTimeoutMs() {
    return getLong(STARTUP_TIMEOUT_MS_CONFIG);
  }

  /**
   * The Kafka Streams configuration: exactly-once v2, read_committed, static membership, the
   * dead-letter topic for Streams' own error handlers, then the {@value #STREAMS_PREFIX}
   * pass-through keys (which may override any of these).
   *
   * @return a new properties object
   */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // exactly_once_v2 already implies it; stated so that nobody "optimises" it away.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId());
    // KIP-1034: Streams' own handlers write failed records there with error headers.
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics().deadLetters().name());
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingExceptionHandler.class.getName());
    // Also for the global model-updates processor (the default from Kafka 5.0 on).
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // A garbage record on the model-updates topic must not stop the global thread.
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class.getName());
    p.putAll(originalsWithPrefix(STREAMS_PREFIX));
    return p;
  }

  private void rejectUnknownKeys(Map<?, ?> props) {
    for (Object k : props.keySet()) {
      String key = String.valueOf(k);
      if (key.startsWith(PREFIX)
          && !key.startsWith(STREAMS_PREFIX)
          && !CONFIG.names().contains(key)) {
        throw new ConfigException(
            key,
            props.get(k),
            "Unknown configuration key (known keys: "
                + String.join(", ", CONFIG.names())
                + ", and "
                + STREAMS_PREFIX
                + "*)");
      }
    }
  }

  private static void validatePatterns(String name, Object value) {
    if (value instanceof List<?> l) {
      try {
        new ArtifactPatterns(l.stream().map(String::valueOf).toList());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }
  }

  private static void validateLexicon(String name, Object value) {
    String path = value == null ? "" : String.valueOf(value);
    if (!path.isBlank()) {
      try {
        IdentityLexicon.read(Path.of(path));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(
            name, value, "cannot read the identity lexicon: " + e.getMessage());
      }
    }
  }

  private static String topicKey(TopicKind kind) {
    return "candor.topic." + kind.suffix();
  }

  private static ConfigDef buildConfigDef() {
    ConfigDef d =
        new ConfigDef()
            .define(
                BOOTSTRAP_SERVERS_CONFIG,
                Type.STRING,
                "localhost:9092",
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                BOOTSTRAP_SERVERS_DOC)
            .define(
                APPLICATION_ID_CONFIG,
                Type.STRING,
                "candor-stream",
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                APPLICATION_ID_DOC)
            .define(INSTANCE_ID_CONFIG, Type.STRING, "", Importance.MEDIUM, INSTANCE_ID_DOC)
            .define(
                STATE_DIR_CONFIG,
                Type.STRING,
                // Not under /tmp, which the OS may clear: the buffer of unexplained
                // texts lives here.
                Path.of(System.getProperty("user.home"), ".candor", "streams-state").toString(),
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                STATE_DIR_DOC)
            .define(
                MODEL_BUNDLE_DIR_CONFIG,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                MODEL_BUNDLE_DIR_DOC)
            .define(MODEL_NAME_CONFIG, Type.STRING, "", Importance.MEDIUM, MODEL_NAME_DOC)
            .define(
                DEVICE_CONFIG,
                Type.STRING,
                "auto",
                ConfigDef.CaseInsensitiveValidString.in("auto", "cpu", "gpu"),
                Importance.MEDIUM,
                DEVICE_DOC)
            .define(
                EXPLANATION_TARGET_CONFIG,
                Type.STRING,
                "logit",
                ConfigDef.CaseInsensitiveValidString.in("logit", "relative"),
                Importance.MEDIUM,
                EXPLANATION_TARGET_DOC)
            .define(
                MAX_BATCH_SIZE_CONFIG,
                Type.INT,
                32,
                Range.between(1, 4096),
                Importance.MEDIUM,
                MAX_BATCH_SIZE_DOC)
            .define(
                MAX_BATCH_DELAY_MS_CONFIG,
                Type.LONG,
                100L,
                Range.between(1, 3_600_000),
                Importance.MEDIUM,
                MAX_BATCH_DELAY_MS_DOC)
            .define(
                SUB_BATCHING_CONFIG,
                Type.STRING,
                "on",
                ConfigDef.CaseInsensitiveValidString.in("on", "off"),
                Importance.LOW,
                SUB_BATCHING_DOC)
            .define(
                MAX_TEXT_CHARS_CONFIG,
                Type.INT,
                InputDecoder.DEFAULT_MAX_CHARS,
                Range.atLeast(1),
                Importance.MEDIUM,
                MAX_TEXT_CHARS_DOC)
            .define(
                MAX_RECORD_BYTES_CONFIG,
                Type.INT,
                256 * 1024,
                Range.between(1024, 16 * 1024 * 1024),
                Importance.MEDIUM,
                MAX_RECORD_BYTES_DOC)
            .define(
                FLAG_RULES_CONFIG,
                Type.LIST,
                String.join(",", DEFAULT_FLAG_RULES),
                Importance.LOW,
                FLAG_RULES_DOC)
            .define(
                FLAG_SPECIAL_TOKEN_THRESHOLD_CONFIG,
                Type.DOUBLE,
                0.5,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_SPECIAL_TOKEN_THRESHOLD_DOC)
            .define(
                FLAG_BENIGN_LABELS_CONFIG,
                Type.LIST,
                "normal",
                Importance.LOW,
                FLAG_BENIGN_LABELS_DOC)
            .define(
                FLAG_ARTIFACT_THRESHOLD_CONFIG,
                Type.DOUBLE,
                0.5,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_ARTIFACT_THRESHOLD_DOC)
            .define(
                FLAG_ARTIFACT_PATTERNS_CONFIG,
                Type.LIST,
                "",
                StreamAppConfig::validatePatterns,
                Importance.LOW,
                FLAG_ARTIFACT_PATTERNS_DOC)
            .define(
                FLAG_IDENTITY_LEXICON_CONFIG,
                Type.STRING,
                "",
                StreamAppConfig::validateLexicon,
                Importance.LOW,
                FLAG_IDENTITY_LEXICON_DOC)
            .define(
                FLAG_IDENTITY_MIN_SHARE_CONFIG,
                Type.DOUBLE,
                0.2,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_IDENTITY_MIN_SHARE_DOC)
            .define(
                FLAG_IDENTITY_TOP_K_CONFIG,
                Type.INT,
                1,
                Range.between(1, 1000),
                Importance.LOW,
                FLAG_IDENTITY_TOP_K_DOC)
            .define(
                FLAG_COUNTERFACTUAL_MAX_SWAPS_CONFIG,
                Type.INT,
                2,
                Range.between(1, 16),
                Importance.LOW,
                FLAG_COUNTERFACTUAL_MAX_SWAPS_DOC)
            .define(
                FLAG_COUNTERFACTUAL_MIN_DELTA_CONFIG,
                Type.DOUBLE,
                0.2,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_COUNTERFACTUAL_MIN_DELTA_DOC)
            .define(
                FLAG_COUNTERFACTUAL_MIN_SHARE_CONFIG,
                Type.DOUBLE,
                0.1,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_COUNTERFACTUAL_MIN_SHARE_DOC)
            .define(
                FLAG_COUNTERFACTUAL_MIN_FLIP_DELTA_CONFIG,
                Type.DOUBLE,
                0.05,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_COUNTERFACTUAL_MIN_FLIP_DELTA_DOC)
            .define(
                FLAG_REVIEWER_MIN_MARKS_CONFIG,
                Type.INT,
                1,
                Range.atLeast(1),
                Importance.LOW,
                FLAG_REVIEWER_MIN_MARKS_DOC)
            .define(
                FLAG_REVIEWER_MIN_SHARE_CONFIG,
                Type.DOUBLE,
                0.2,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_REVIEWER_MIN_SHARE_DOC)
            .define(
                FLAG_REVIEWER_TOP_K_CONFIG,
                Type.INT,
                1,
                Range.between(1, 1000),
                Importance.LOW,
                FLAG_REVIEWER_TOP_K_DOC)
            .define(
                FLAG_THIN_THRESHOLD_CONFIG,
                Type.DOUBLE,
                0.5,
                Range.between(0, 1),
                Importance.LOW,
                FLAG_THIN_THRESHOLD_DOC)
            .define(
                PREDICTIONS_INCLUDE_TEXT_CONFIG,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                PREDICTIONS_INCLUDE_TEXT_DOC)
            .define(
                EXPLAIN_LABEL_CONFIG,
                Type.STRING,
                "predicted",
                new ConfigDef.NonEmptyStringWithoutControlChars(),
                Importance.LOW,
                EXPLAIN_LABEL_DOC)
            .define(
                METRICS_PORT_CONFIG,
                Type.INT,
                0,
                Range.between(0, 65_535),
                Importance.LOW,
                METRICS_PORT_DOC)
            .define(
                METRICS_HOST_CONFIG,
                Type.STRING,
                "0.0.0.0",
                new ConfigDef.NonEmptyString(),
                Importance.LOW,
                METRICS_HOST_DOC)
            .define(
                STARTUP_TIMEOUT_MS_CONFIG,
                Type.LONG,
                60_000L,
                Range.atLeast(1),
                Importance.LOW,
                STARTUP_TIMEOUT_MS_DOC)
            .define(
                TOPIC_PREFIX_CONFIG,
                Type.STRING,
                Topics.DEFAULT_PREFIX,
                Importance.MEDIUM,
                TOPIC_PREFIX_DOC);
    for (TopicKind kind : TopicKind.values()) {
      d.define(
          topicKey(kind),
          Type.STRING,
          "",
          Importance.LOW,
          "Full name of the "
              + kind.suffix()
              + " topic; empty means candor.topic.prefix + '"
              + kind.suffix()
              + "'.");
    }
    return d;
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return "StreamAppConfig" + Objects.requireNonNull(values());
  }
}
