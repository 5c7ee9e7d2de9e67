package dev.candor.trainer;

import dev.candor.model.CandorModel;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.data.DataMix;
import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Hashing;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import dev.candor.schemas.avro.Feedback;
import dev.candor.trainer.feedback.FeedbackRejection;
import dev.candor.trainer.feedback.FeedbackResolver;
import dev.candor.trainer.feedback.ResolvedText;
import dev.candor.trainer.feedback.StandingMarks;
import dev.candor.trainer.internals.DeadLetterWriter;
import dev.candor.trainer.internals.FeedbackLog;
import dev.candor.trainer.internals.FeedbackValidator;
import dev.candor.trainer.internals.RoundTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer process: reads the whole feedback topic, resolves it, and in rounds fine-tunes the
 * production model on the feedback plus a replay sample, gates the candidate against production,
 * records everything in the {@link ModelRegistry} and announces a promoted version on the
 * model-updates topic.
 *
 * <p>A round runs when {@link TrainerConfig#roundMinFeedback()} new feedback records arrived since
 * the last recorded round, or {@link TrainerConfig#roundIntervalMinutes()} passed with at least
 * one; or on demand ({@link #runRound()}). "New" is measured against the offsets the newest record
 * in the registry holds, so a restart resumes where the last finished round left off.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Progress of rounds (e.g. a progress bar). */
  public interface Listener {
    default void onRoundStart(String version, int rows) {}

    default void onStep(int step, int steps, double loss, double textsPerSecond) {}

    default void onRejected(FeedbackRejection reason, String textId, long offset, String detail) {}

    default void onRoundEnd(RoundOutcome outcome) {}

    Listener NONE = new Listener() {};

    /** One listener that tells each of {@code listeners}, in order. */
    static Listener all(Listener... listeners) {
      List<Listener> ls = List.of(listeners);
      return new Listener() {
        @Override
        public void onRoundStart(String version, int rows) {
          ls.forEach(l -> l.onRoundStart(version, rows));
        }

        @Override
        public void onStep(int step, int steps, double loss, double textsPerSecond) {
          ls.forEach(l -> l.onStep(step, steps, loss, textsPerSecond));
        }

        @Override
        public void onRejected(
            FeedbackRejection reason, String textId, long offset, String detail) {
          ls.forEach(l -> l.onRejected(reason, textId, offset, detail));
        }

        @Override
        public void onRoundEnd(RoundOutcome outcome) {
          ls.forEach(l -> l.onRoundEnd(outcome));
        }
      };
    }
  }

  private final TrainerConfig config;
  private final ModelRegistry registry;
  private final ModelUpdatePublisher publisher;
  private final FeedbackLog log;
  private final DeadLetterWriter deadLetters;
  private final Deserializer<Feedback> feedbackDeserializer;
  private final Listener listener;

  public Trainer(TrainerConfig config, ModelRegistry registry, Listener listener) {
    this.config = config;
    this.registry = registry;
    this.listener = listener == null ? Listener.NONE : listener;
    this.publisher =
        new ModelUpdatePublisher(
            config.bootstrapServers(), config.topics().modelUpdates(), config.modelName());
    this.log = new FeedbackLog(config.bootstrapServers(), config.topics().feedback().name());
    this.deadLetters =
        new DeadLetterWriter(config.bootstrapServers(), config.topics().deadLetters().name());
    this.feedbackDeserializer = config.topics().feedback().valueSerde().deserializer();
    // PyTorch's intra-op pool is per process: the engine must be loaded before it is sized
    ai.djl.engine.Engine.getInstance();
    ai.djl.pytorch.jni.JniUtils.setNumThreads(config.threads());
  }

  public ModelRegistry registry() {
    return registry;
  }

  /**
   * Brings the registry into a consistent state after a start or crash: recovery, bootstrap of an
   * empty registry from the configured bundle, and the announcement of a production version that
   * was not yet announced.
   */
  public void start() throws IOException {
    registry.recover();
    if (registry.state().isEmpty()) {
      if (config.bootstrapBundle() == null) {
        throw new IllegalStateException(
            "registry "
                + registry.root()
                + " is empty and "
                + TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG
                + " is not set");
      }
      VersionRecord r = registry.bootstrap(config.bootstrapBundle());
      LOG.info("registry bootstrapped with {} from {}", r.version(), config.bootstrapBundle());
    }
    publisher.publishPending(registry);
  }

  /** Feedback records that arrived after the offsets of the last recorded round. */
  public long newFeedback() throws IOException {
    Map<Integer, Long> last = registry.lastOffsets();
    long n = 0;
    for (Map.Entry<Integer, Long> e : log.endOffsets().entrySet()) {
      n += Math.max(0, e.getValue() - last.getOrDefault(e.getKey(), 0L));
    }
    return n;
  }

  /** Runs rounds whenever the trigger fires, until {@code stop} is set. */
  public void run(AtomicBoolean stop) throws IOException, InterruptedException {
    start();
    long lastRound = System.nanoTime();
    while (!stop.get()) {
      long fresh = newFeedback();
      double minutes = (System.nanoTime() - lastRound) / 60e9;
      if (fresh >= config.roundMinFeedback()
          || (fresh > 0 && minutes >= config.roundIntervalMinutes())) {
        LOG.info("round triggered: {} new feedback records, {} min since the last", fresh, minutes);
        runRound();
        lastRound = System.nanoTime();
      }
      for (int i = 0; i < config.pollSeconds() * 10 && !stop.get(); i++) {
        Thread.sleep(100);
      }
    }
  }

  /** One round now, whatever the trigger says (needs some usable feedback). */
  public RoundOutcome runRound() throws IOException {
    long roundStart = System.nanoTime();
    publisher.publishPending(registry);
    RegistryState state = registry.state().orElseThrow(() -> new IllegalStateException("empty"));
    String parent = state.current();
    Map<Integer, Long> end = log.endOffsets();
    List<ConsumerRecord<String, byte[]>> records = log.readUpTo(end);
    ModelBundle production = ModelBundle.read(registry.bundleDir(parent));
    List<String> labels = production.config().labels();
    FeedbackValidator.Outcome checked =
        new FeedbackValidator(feedbackDeserializer, labels).validate(records);
    // records below these offsets were dead-lettered by an earlier round, finished or killed
    Map<Integer, Long> last = registry.deadLetteredOffsets();
    for (FeedbackValidator.Rejected r : checked.rejected()) {
      ConsumerRecord<String, byte[]> rec = r.record();
      LOG.warn(
          "feedback skipped: {} at {}-{}@{}: {}",
          r.reason(),
          rec.topic(),
          rec.partition(),
          rec.offset(),
          r.detail());
      listener.onRejected(r.reason(), rec.key(), rec.offset(), r.detail());
      if (rec.offset() >= last.getOrDefault(rec.partition(), 0L)) {
        try {
          deadLetters.send(rec, r.reason().name(), r.detail());
        } catch (Exception e) {
          throw new IOException("could not write a dead letter: " + e.getMessage(), e);
        }
      }
    }
    registry.noteDeadLettered(end);
    List<ResolvedText> resolved = FeedbackResolver.resolve(checked.items());
    List<RoundTrainer.Row> trainRows = new ArrayList<>();
    List<Example> heldOut = new ArrayList<>();
    List<Gate.MarkedText> heldOutMarked = new ArrayList<>();
    List<String> feedbackDigest = new ArrayList<>();
    int feedbackTrain = 0;
    for (ResolvedText t : resolved) {
      int label = t.label() == null ? -1 : labels.indexOf(t.label());
      boolean held = heldOut(t.textId(), config.holdoutFraction());
      feedbackDigest.add(
          t.textId() + "\t" + held + "\t" + t.label() + "\t" + t.spans() + "\t" + t.text());
      if (held) {
        if (label >= 0) {
          heldOut.add(new Example(t.textId(), t.text(), label, null));
        }
        if (!t.spans().isEmpty()) {
          heldOutMarked.add(new Gate.MarkedText(t.text(), t.spans()));
        }
      } else if (label >= 0) {
        trainRows.add(new RoundTrainer.Row(t.text(), label, t.spans()));
        feedbackTrain++;
      }
    }
    if (trainRows.isEmpty()) {
      RoundOutcome o =
          RoundOutcome.skipped(
              "no usable training feedback ("
                  + records.size()
                  + " records, "
                  + checked.rejected().size()
                  + " rejected, "
                  + resolved.size()
                  + " resolved texts)");
      listener.onRoundEnd(o);
      return o;
    }
    String version = registry.nextVersion();
    long seed = config.seed() + Integer.parseInt(version.substring(1));
    Map<String, String> hashes = new LinkedHashMap<>();
    hashes.put(
        "feedback",
        Hashing.sha256(String.join("\n", feedbackDigest).getBytes(StandardCharsets.UTF_8)));
    List<DataSource> dataFiles = new ArrayList<>();
    int replayRows = 0;
    List<DataMix.Entry> replaySources = config.replaySources();
    if (!replaySources.isEmpty() && config.replaySize() > 0) {
      List<List<Example>> pools = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      for (int i = 0; i < replaySources.size(); i++) {
        // a three-class production model takes the replay rows' label3, never the binary indices
        JsonlDataset replay =
            JsonlDataset.read(Path.of(replaySources.get(i).location())).forLabels(labels);
        pools.add(replay.examples());
        weights.add(replaySources.get(i).weight());
        String key = i == 0 ? "replay" : "replay:" + i;
        hashes.put(key, replay.sha256());
        dataFiles.add(replay.provenance(key));
      }
      for (Example e : DataMix.sample(pools, weights, config.replaySize(), seed)) {
        if (e.label() >= 0 && e.label() < labels.size()) {
          trainRows.add(new RoundTrainer.Row(e.text(), e.label(), List.of()));
          replayRows++;
        }
      }
    }
    StandingMarks standing = config.standingMarks();
    if (!standing.isEmpty()) {
      trainRows.replaceAll(
          r -> new RoundTrainer.Row(r.text(), r.label(), standing.apply(r.text(), r.spans())));
    }
    String oneLabel = oneLabelOnly(trainRows, labels);
    if (oneLabel != null) {
      RoundOutcome o = RoundOutcome.skipped(oneLabel);
      listener.onRoundEnd(o);
      return o;
    }
    int validationRows = 0;
    if (config.validationFile() != null && config.validationSize() > 0) {
      JsonlDataset val = JsonlDataset.read(config.validationFile()).forLabels(labels);
      List<Example> head = val.head(config.validationSize());
      heldOut.addAll(0, head);
      validationRows = head.size();
      hashes.put("validation", val.sha256());
      dataFiles.add(val.provenance("validation"));
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("feedback_records", records.size());
    counts.put("rejected_records", checked.rejected().size());
    counts.put("resolved_texts", resolved.size());
    counts.put("feedback_train_rows", feedbackTrain);
    counts.put("replay_rows", replayRows);
    counts.put("heldout_rows", heldOut.size());
    counts.put("heldout_validation_rows", validationRows);
    counts.put("heldout_marked_texts", heldOutMarked.size());
    listener.onRoundStart(version, trainRows.size());
    RoundTrainer.Settings settings =
        new RoundTrainer.Settings(
            config.epochs(),
            config.learningRate(),
            config.batchSize(),
            seed,
            config.augment(),
            config.penalty(),
            config.penaltyLambda(),
            config.distill(),
            config.distillMarked());
    Map<String, Double> productionFigures;
    Map<String, Double> candidateFigures;
    RoundTrainer.Result result;
    try (CandorModel prod = CandorModel.fromBundle(production, null, config.device());
        CandorModel cand = CandorModel.fromBundle(production, version, config.device())) {
      result = new RoundTrainer(settings).train(cand, trainRows, listener::onStep);
      counts.put("augmented_rows", result.augmentedRows());
      counts.put("marked_rows", result.markedRows());
      if (heldOut.isEmpty()) {
        throw new IllegalStateException(
            "the gate has no held-out texts: set "
                + TrainerConfig.VALIDATION_FILE_CONFIG
                + " or "
                + TrainerConfig.HOLDOUT_FRACTION_CONFIG);
      }
      productionFigures = Gate.figures(prod, heldOut, heldOutMarked, config.gateExplainSize());
      candidateFigures = Gate.figures(cand, heldOut, heldOutMarked, config.gateExplainSize());
    }
    Gate.Decision decision = Gate.decide(candidateFigures, productionFigures, config.tolerances());
    Map<String, Object> hyper = new LinkedHashMap<>();
    hyper.put("epochs", settings.epochs());
    hyper.put("learning_rate", settings.learningRate());
    hyper.put("batch_size", settings.batchSize());
    hyper.put("seed", seed);
    hyper.put("augment", settings.augment());
    hyper.put("penalty", settings.penalty().name());
    hyper.put("penalty_lambda", settings.lambda());
    hyper.put("replay_distillation", settings.distill());
    hyper.put("distill_marked_rows", settings.distillMarked());
    hyper.put("standing_marks", standing.names());
    hyper.put("threads", config.threads());
    hyper.put("optimizer", "AdamW(0.9, 0.999, 1e-8), weight decay 0.01, clip 1.0");
    hyper.put("schedule", "10 % linear warm-up, linear decay to 0");
    hyper.put("feedback_offsets", end);
    dataFiles.add(
        new DataSource(
            "feedback",
            config.topics().feedback().name() + " " + end,
            hashes.get("feedback"),
            resolved.size()));
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("gate", candidateFigures);
    metrics.put("gate_production", productionFigures);
    metrics.put("decision", decision.promote() ? "PROMOTE" : "REFUSE");
    Lineage lineage =
        (production.provenance() == null
                ? Lineage.base(null, null)
                : production.provenance().lineage())
            .withParent(production.version(), production.manifestSha256());
    ModelProvenance provenance =
        ModelProvenance.now("candor trainer round " + version, lineage, hyper, dataFiles);
    ModelBundle written =
        ModelBundle.write(
            registry.bundleDir(version),
            production.config(),
            result.weights(),
            production.tokenizerJson(),
            metrics,
            provenance);
    registry.bundleWritten(version);
    VersionRecord record =
        new VersionRecord(
            version,
            written.version(),
            written.manifestSha256(),
            parent,
            Instant.now().toString(),
            decision.promote() ? VersionRecord.Decision.PROMOTE : VersionRecord.Decision.REFUSE,
            decision.reasons(),
            candidateFigures,
            productionFigures,
            config.tolerances(),
            new HashMap<>(end),
            hashes,
            counts,
            result.seconds());
    registry.saveRecord(record);
    boolean published = false;
    if (decision.promote()) {
      registry.makeCurrent(version);
      published = publisher.publishPending(registry) != null;
    } else {
      LOG.info("candidate {} refused: {}", version, decision.reasons());
    }
    RoundOutcome o =
        new RoundOutcome(
            version,
            record.decision(),
            decision.reasons(),
            candidateFigures,
            productionFigures,
            counts,
            published,
            result.seconds(),
            (System.nanoTime() - roundStart) / 1e9);
    listener.onRoundEnd(o);
    return o;
  }

  /** Stable hold-out choice by the text id's hash. */
  static boolean heldOut(String textId, double fraction) {
    byte[] h =
        java.util.HexFormat.of()
            .parseHex(Hashing.sha256(textId.getBytes(StandardCharsets.UTF_8)).substring(0, 8));
    long v =
        ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    return v / 4294967296.0 < fraction;
  }

  @Override
  public void close() {
    log.close();
    deadLetters.close();
  }

  /**
   * Why a round must not train on {@code rows}, or {@code null} if it may: a training set of one
   * label only (feedback that relabels everything alike, with no replay to balance it) teaches the
   * model to answer that label for every text, whatever the gate's held-out set then says.
   */
  static String oneLabelOnly(List<RoundTrainer.Row> rows, List<String> labels) {
    java.util.Set<Integer> seen = new java.util.TreeSet<>();
    for (RoundTrainer.Row r : rows) {
      seen.add(r.label());
    }
    if (seen.size() >= 2) {
      return null;
    }
    String only = seen.isEmpty() ? "none" : "'" + labels.get(seen.iterator().next()) + "'";
    return "refused to train: the round's "
        + rows.size()
        + " training rows carry one label only ("
        + only
        + "); give feedback for more than one label or configure a replay sample";
  }
}
