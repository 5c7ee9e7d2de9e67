package dev.candor.stream;

import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.InputDecoder;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.internals.BatchOutcome;
import dev.candor.stream.internals.DecodeProcessor;
import dev.candor.stream.internals.Decoded;
import dev.candor.stream.internals.MicroBatchProcessor;
import dev.candor.stream.internals.ModelUpdateProcessor;
import dev.candor.stream.internals.PredictionFactory;
import dev.candor.stream.internals.ReviewerMarksProcessor;
import dev.candor.stream.internals.StreamMetrics;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The Candor topology, as a pure factory: nothing starts here.
 *
 * <pre>
 * texts (bytes) - candor-decode -+- rejected ------------------------------> dead-letters
 *                                +- accepted - candor-micro-batch [candor-batch-buffer]
 *                                     +- model-error ----------------------> dead-letters
 *                                     +- explained - candor-prediction
 *                                          +- candor-predictions-text ----> predictions
 *                                          +- candor-flagged --------------> flags (with text)
 * model-updates - candor-model-updates [global store] -> ModelHandle.requestSwap
 * feedback - candor-feedback [global store candor-reviewer-marks-store] -> the flag rules
 * </pre>
 *
 * <p>Flag records always carry the input text (reviewers must read what they judge); prediction
 * records only when {@link StreamAppConfig#PREDICTIONS_INCLUDE_TEXT_CONFIG} says so. The
 * reviewer-marks store is global (every instance needs every reviewer's marks, whatever partition a
 * text arrives on), in memory, and rebuilt from the feedback topic on each start.
 *
 * <p>Every operator, store and branch has a fixed name so that internal topic names (the buffer's
 * changelog) survive refactoring. Dead letters keep the original key and value bytes and headers
 * and add {@link DeadLetterHeaders}.
 */
public final class CandorTopology {

  /**
   * The micro-batch buffer store; its changelog is {@code
   * <application.id>-candor-batch-buffer-changelog}.
   */
  public static final String BUFFER_STORE = "candor-batch-buffer";

  /** The global store holding the latest {@code ModelUpdate} per model name. */
  public static final String MODEL_UPDATES_STORE = "candor-model-updates-store";

  /** The global store of reviewers' spurious-word marks, fed by the feedback topic. */
  public static final String REVIEWER_MARKS_STORE = "candor-reviewer-marks-store";

  private static final String INPUT_SPLIT = "candor-input-";
  private static final String OUTCOME_SPLIT = "candor-outcome-";

  private CandorTopology() {}

  /**
   * Builds the topology with metrics going to a private registry (for tests and tools).
   *
   * @param config the app config
   * @param model the model handle predictions are made with
   * @return the topology
   */
  public static Topology build(StreamAppConfig config, ModelHandle model) {
    return build(config, model, new SimpleMeterRegistry());
  }

  /**
   * Builds the topology.
   *
   * @param config the app config
   * @param model the model handle predictions are made with (and swaps are requested from); it is
   *     set to explain the class {@link StreamAppConfig#EXPLAIN_LABEL_CONFIG} names
   * @param registry where records in/out, dead letters, batch sizes, latencies, residuals and flags
   *     are counted
   * @return the topology
   */
  public static Topology build(StreamAppConfig config, ModelHandle model, MeterRegistry registry) {
    Objects.requireNonNull(config, "config cannot be null");
    Objects.requireNonNull(model, "model cannot be null");
    model.explainLabel(config.explainLabel()); // fails here, at start, for an unknown label
    Topics topics = config.topics();
    StreamMetrics metrics = new StreamMetrics(registry);
    InputDecoder decoder = InputDecoder.builder().optMaxChars(config.maxTextChars()).build();
    PredictionFactory predictions = new PredictionFactory(config.flagRules(), registry);
    ArtifactPatterns artifacts =
        new ArtifactPatterns(config.getList(StreamAppConfig.FLAG_ARTIFACT_PATTERNS_CONFIG));
    // The app's Streams config also shapes the topology (and keeps Streams from warning about
    // defaults it would otherwise assume).
    StreamsBuilder builder =
        new StreamsBuilder(new TopologyConfig(new StreamsConfig(config.streamsProperties())));

    builder.addGlobalStore(
        ModelUpdateProcessor.store(MODEL_UPDATES_STORE, topics.modelUpdates().valueSerde()),
        topics.modelUpdates().name(),
        Consumed.with(topics.modelUpdates().keySerde(), topics.modelUpdates().valueSerde())
            .withName("candor-model-updates"),
        () -> new ModelUpdateProcessor(MODEL_UPDATES_STORE, config.modelName(), model));

    builder.addGlobalStore(
        ReviewerMarksProcessor.store(REVIEWER_MARKS_STORE),
        topics.feedback().name(),
        Consumed.with(topics.feedback().keySerde(), topics.feedback().valueSerde())
            .withName("candor-feedback"),
        () -> new ReviewerMarksProcessor(REVIEWER_MARKS_STORE, artifacts, metrics));

    // Keys are read as bytes too, so a dead letter carries exactly the key it arrived with.
    KStream<byte[], Decoded> decoded =
        builder.stream(
                topics.texts().name(),
                Consumed.with(topics.texts().keySerde(), topics.texts().valueSerde())
                    .withName("candor-texts-source"))
            .processValues(
                () -> new DecodeProcessor(decoder, config.maxRecordBytes(), metrics),
                Named.as("candor-decode"));

    Map<String, KStream<byte[], Decoded>> input =
        decoded
            .split(Named.as(INPUT_SPLIT))
            .branch((k, d) -> d.rejected(), Branched.as("rejected"))
            .defaultBranch(Branched.as("accepted"));

    input
        .get(INPUT_SPLIT + "rejected")
        .mapValues(Decoded::originalValue, Named.as("candor-rejected-original-value"))
        .to(topics.deadLetters().name(), deadLetters(topics).withName("candor-rejected-sink"));

    KStream<String, BatchOutcome> outcomes =
        input
            .get(INPUT_SPLIT + "accepted")
            .process(
                MicroBatchProcessor.supplier(
                    BUFFER_STORE,
                    config.maxBatchSize(),
                    config.maxBatchDelayMs(),
                    model,
                    predictions,
                    metrics,
                    REVIEWER_MARKS_STORE),
                Named.as("candor-micro-batch"));

    Map<String, KStream<String, BatchOutcome>> byOutcome =
        outcomes
            .split(Named.as(OUTCOME_SPLIT))
            .branch((id, o) -> o instanceof BatchOutcome.Failed, Branched.as("model-error"))
            .defaultBranch(Branched.as("explained"));

    byOutcome
        .get(OUTCOME_SPLIT + "model-error")
        .map(
            (id, o) -> {
              var t = ((BatchOutcome.Failed) o).text();
              return KeyValue.pair(t.originalKey(), t.originalValue());
            },
            Named.as("candor-model-error-original-record"))
        .to(topics.deadLetters().name(), deadLetters(topics).withName("candor-model-error-sink"));

    KStream<String, ExplainedPrediction> explained =
        byOutcome
            .get(OUTCOME_SPLIT + "explained")
            .mapValues(
                o -> ((BatchOutcome.Explained) o).prediction(), Named.as("candor-prediction"));
    boolean includeText = config.predictionsIncludeText();
    explained
        .mapValues(
            p -> includeText ? p : ExplainedPrediction.newBuilder(p).setText(null).build(),
            Named.as("candor-predictions-text"))
        .to(
            topics.predictions().name(),
            Produced.with(topics.predictions().keySerde(), topics.predictions().valueSerde())
                .withName("candor-predictions-sink"));
    explained
        .filter((id, p) -> !p.getFlags().isEmpty(), Named.as("candor-flagged"))
        .to(
            topics.flags().name(),
            Produced.with(topics.flags().keySerde(), topics.flags().valueSerde())
                .withName("candor-flags-sink"));

    return builder.build();
  }

  private static Produced<byte[], byte[]> deadLetters(Topics topics) {
    return Produced.with(topics.deadLetters().keySerde(), topics.deadLetters().valueSerde());
  }
}
