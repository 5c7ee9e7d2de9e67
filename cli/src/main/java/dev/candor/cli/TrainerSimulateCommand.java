package dev.candor.cli;

import dev.candor.evaluation.PairedBootstrap;
import dev.candor.kafka.EmbeddedKafka;
import dev.candor.model.CandorModel;
import dev.candor.model.DeviceChoice;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.data.DataDirectory;
import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.model.train.LabelledScoring;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.trainer.Gate;
import dev.candor.trainer.ModelRegistry;
import dev.candor.trainer.RoundOutcome;
import dev.candor.trainer.Trainer;
import dev.candor.trainer.TrainerConfig;
import dev.candor.trainer.VersionRecord;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.feedback.SpuriousTerms;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The feedback-loop experiment in one command: simulated reviewers mark the anonymisation
 * placeholders and identity-group words as spurious on HateXplain training texts where the
 * production model's top evidence sits on them (labels: the dataset's, `label3` for a three-class
 * model), one trainer round runs on an embedded broker, and the share of |attribution| on those
 * terms is measured on validation texts before and after.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Simulated reviewers on HateXplain → one trainer round on an embedded broker → the share"
            + " of attribution on placeholders and identity terms (validation) before and after,"
            + " plus the gate's figures.")
final class TrainerSimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--bundle", description = "production model (default: the cached model)")
  Path bundle;

  @Option(
      names = "--data",
      description = "datasets directory (default: $CANDOR_DATA or ../shared/data)")
  Path data;

  @Option(names = "--out", required = true, description = "work directory (broker data, registry)")
  Path out;

  @Option(names = "--reviewed", defaultValue = "1000", description = "training texts reviewed")
  int reviewed;

  @Option(names = "--replay", defaultValue = "4000", description = "replay texts per round")
  int replay;

  @Option(
      names = "--validation",
      defaultValue = "500",
      description = "validation texts in the gate")
  int validation;

  @Option(
      names = "--measure",
      defaultValue = "300",
      description = "validation texts containing the terms, used for the before/after share")
  int measure;

  @Option(
      names = "--report",
      defaultValue = "0",
      description =
          "validation texts beyond the gate's slice on which accuracy, macro-F1, AUROC and the"
              + " bias AUCs are reported before and after (0: all of them)")
  int report;

  @Option(
      names = "--heatmaps",
      defaultValue = "4",
      description = "measured texts shown before/after as heat-maps")
  int heatmaps;

  @Option(
      names = "--candidate",
      description =
          "no reviewers and no round: report this bundle (e.g. registry/versions/v0002 of an"
              + " earlier --out) against --bundle on the same validation texts")
  Path candidateBundle;

  @Option(
      names = "--bootstrap",
      defaultValue = "1000",
      description =
          "paired bootstrap resamples of the reported texts for the intervals of the changes (0:"
              + " none)")
  int bootstrap;

  @Option(names = "--threads", defaultValue = "2", description = "trainer threads")
  int threads;

  @Option(
      names = "-D",
      mapFallbackValue = "",
      description = "trainer key overrides, e.g. -Dcandor.train.penalty=input-x-gradient")
  Map<String, String> overrides = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path model = bundle != null ? bundle : ModelHome.defaultBundle();
    Path hx = DataDirectory.dataset(DataDirectory.resolve(data), "hatexplain");
    // read (and verified) once: its classes say which label field the rows give — label3 for a
    // three-class model (normal / offensive / hatespeech), never the binary indices — and the
    // production model below is made from it
    ModelBundle productionBundle = ModelBundle.read(model);
    List<String> labels = productionBundle.config().labels();
    List<Example> train =
        new ArrayList<>(JsonlDataset.read(hx.resolve("train.jsonl")).forLabels(labels).examples());
    Collections.shuffle(train, new Random(7));
    List<Example> val = JsonlDataset.read(hx.resolve("val.jsonl")).forLabels(labels).examples();
    // measured on validation texts beyond the gate's slice
    List<Example> measured = new ArrayList<>();
    for (Example e : val.subList(Math.min(validation, val.size()), val.size())) {
      if (measured.size() < measure
          && !(SpuriousTerms.placeholders(e.text()).isEmpty()
              && SpuriousTerms.identity(e.text()).isEmpty())) {
        measured.add(e);
      }
    }
    List<Example> reported = val.subList(Math.min(validation, val.size()), val.size());
    if (report > 0) {
      reported = reported.subList(0, Math.min(report, reported.size()));
    }
    List<String> shownTexts = new ArrayList<>();
    for (Example e : measured) {
      if (shownTexts.size() < heatmaps && !SpuriousTerms.identity(e.text()).isEmpty()) {
        shownTexts.add(e.text());
      }
    }
    if (candidateBundle != null) {
      if (!Files.isRegularFile(candidateBundle.resolve("config.json"))) {
        throw new ParameterException(
            spec.commandLine(), "--candidate " + candidateBundle + " is not a model bundle");
      }
      Measured before;
      List<Explanation> shown;
      try (CandorModel production =
          CandorModel.fromBundle(productionBundle, null, DeviceChoice.AUTO)) {
        before = measure(production, "production", measured, reported, err);
        shown = explain(production, shownTexts);
      }
      Measured after;
      List<Explanation> now;
      try (CandorModel candidate = CandorModel.load(candidateBundle, DeviceChoice.AUTO)) {
        after = measure(candidate, "the candidate", measured, reported, err);
        now = explain(candidate, shownTexts);
      }
      if (!shownTexts.isEmpty()) {
        printHeatmaps(o, shown, now);
      }
      printReport(o, before, after, measured.size(), reported);
      return 0;
    }
    Files.createDirectories(out);
    Topics topics = Topics.defaults();
    try (EmbeddedKafka kafka =
        EmbeddedKafka.builder().optDataDir(out.resolve("kafka")).build().start()) {
      for (String t : List.of(topics.feedback().name(), topics.deadLetters().name())) {
        kafka.createTopic(t, 1, false);
      }
      kafka.createTopic(topics.modelUpdates().name(), 1, true);
      Measured before;
      List<Explanation> shown;
      int marked = 0;
      List<ProducerRecord<String, Feedback>> records = new ArrayList<>();
      try (CandorModel production =
              CandorModel.fromBundle(productionBundle, null, DeviceChoice.AUTO);
          Explainer explainer = new Explainer(production)) {
        List<Example> rev = train.subList(0, Math.min(reviewed, train.size()));
        for (int from = 0; from < rev.size(); from += 32) {
          List<Example> part = rev.subList(from, Math.min(rev.size(), from + 32));
          List<Explanation> ex = explainer.explain(part.stream().map(Example::text).toList());
          for (int i = 0; i < part.size(); i++) {
            Example e = part.get(i);
            List<FeedbackItem.Span> terms = new ArrayList<>(SpuriousTerms.placeholders(e.text()));
            terms.addAll(SpuriousTerms.identity(e.text()));
            List<CharSpan> spans = new ArrayList<>();
            if (topOn(ex.get(i), terms)) {
              for (FeedbackItem.Span s : terms) {
                spans.add(new CharSpan(s.start(), s.end()));
              }
              marked++;
            }
            int predicted = ex.get(i).prediction().predicted();
            FeedbackAction action =
                !spans.isEmpty()
                    ? FeedbackAction.MARK_SPURIOUS
                    : predicted == e.label() ? FeedbackAction.CONFIRM : FeedbackAction.RELABEL;
            records.add(
                new ProducerRecord<>(
                    topics.feedback().name(),
                    e.id(),
                    Feedback.newBuilder()
                        .setId(e.id())
                        .setReviewer("simulated")
                        .setCreatedAtMs(System.currentTimeMillis())
                        .setFeedbackId(e.id() + "-simulated")
                        .setAction(action)
                        .setLabel(labels.get(e.label()))
                        .setText(e.text())
                        .setModelVersion(production.version())
                        .setPredictedLabel(labels.get(predicted))
                        .setSpuriousSpans(spans)
                        .build()));
          }
          err.print("\rsimulated reviewers: " + (from + part.size()) + "/" + rev.size());
          err.flush();
        }
        err.println();
        before = measure(production, "production", measured, reported, err);
        shown = shownTexts.isEmpty() ? List.of() : explainer.explain(shownTexts);
      }
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, Feedback> producer =
          new KafkaProducer<>(
              p, new StringSerializer(), AvroSerdes.of(Feedback.class).serializer())) {
        for (ProducerRecord<String, Feedback> r : records) {
          producer.send(r);
        }
        producer.flush();
      }
      Map<String, Integer> byLabel = new LinkedHashMap<>();
      labels.forEach(l -> byLabel.put(l, 0));
      records.forEach(r -> byLabel.merge(r.value().getLabel(), 1, Integer::sum));
      o.printf(
          Locale.ROOT,
          "%d feedback records (%d with spurious marks; labels %s) from HateXplain train%n",
          records.size(),
          marked,
          byLabel);
      Map<String, String> c = new HashMap<>();
      c.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      c.put(TrainerConfig.REGISTRY_DIR_CONFIG, out.resolve("registry").toString());
      c.put(TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG, model.toString());
      c.put(TrainerConfig.REPLAY_FILE_CONFIG, hx.resolve("train.jsonl").toString());
      c.put(TrainerConfig.REPLAY_SIZE_CONFIG, Integer.toString(replay));
      c.put(TrainerConfig.VALIDATION_FILE_CONFIG, hx.resolve("val.jsonl").toString());
      c.put(TrainerConfig.VALIDATION_SIZE_CONFIG, Integer.toString(validation));
      c.put(TrainerConfig.THREADS_CONFIG, Integer.toString(threads));
      c.putAll(overrides);
      TrainerConfig cfg = new TrainerConfig(c);
      ModelRegistry registry = ModelRegistry.open(cfg.registryDir());
      RoundOutcome outcome;
      try (Trainer trainer = new Trainer(cfg, registry, new TrainerCommand.BarListener(err))) {
        trainer.start();
        outcome = trainer.runRound();
      }
      TrainerCommand.print(o, outcome);
      if (outcome.version() == null) {
        return 3;
      }
      Measured after;
      try (CandorModel candidate =
          CandorModel.load(registry.bundleDir(outcome.version()), DeviceChoice.AUTO)) {
        after = measure(candidate, "the candidate", measured, reported, err);
        if (!shownTexts.isEmpty()) {
          printHeatmaps(o, shown, explain(candidate, shownTexts));
        }
      }
      VersionRecord r = registry.record(outcome.version()).orElseThrow();
      printReport(o, before, after, measured.size(), reported);
      o.println(
          "settings: "
              + cfg.penalty()
              + " λ="
              + cfg.penaltyLambda()
              + " augment="
              + cfg.augment()
              + " standing="
              + cfg.standingMarks().names()
              + " distill="
              + cfg.distill()
              + (cfg.distillMarked() ? " (marked rows too)" : "")
              + " epochs="
              + cfg.epochs()
              + " lr="
              + cfg.learningRate()
              + "; record "
              + r.version());
    }
    return 0;
  }

  /** One model's shares on the measured texts, its figures and predictions on the reported ones. */
  private record Measured(
      Map<String, Double> figures, List<Prediction> predictions, List<String> labels) {}

  private static Measured measure(
      CandorModel m, String who, List<Example> measured, List<Example> reported, PrintWriter err) {
    Map<String, Double> f = shares(m, measured);
    err.println("figures of " + who + " on " + reported.size() + " validation texts");
    List<Prediction> preds = LabelledScoring.predict(m, reported, 32, done -> {});
    f.putAll(Gate.predictionFigures(reported, preds, m.config().labels()));
    return new Measured(f, preds, m.config().labels());
  }

  /** The texts' explanations for the heat-maps; none for no texts. */
  private static List<Explanation> explain(CandorModel m, List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    try (Explainer explainer = new Explainer(m)) {
      return explainer.explain(texts);
    }
  }

  private static void printHeatmaps(PrintWriter o, List<Explanation> shown, List<Explanation> now) {
    boolean color = System.console() != null;
    o.println(
        "heat-maps (predicted class; [±x] marks words with ≥ 25 % of the largest"
            + " |attribution|):");
    for (int i = 0; i < shown.size(); i++) {
      o.printf(Locale.ROOT, "  before %s%n", headline(shown.get(i)));
      o.println("    " + Heatmap.render(shown.get(i), color));
      o.printf(Locale.ROOT, "  after  %s%n", headline(now.get(i)));
      o.println("    " + Heatmap.render(now.get(i), color));
    }
  }

  private static String headline(Explanation e) {
    Prediction p = e.prediction();
    return String.format(Locale.ROOT, "%s %.2f", p.label(), p.probabilities()[p.predicted()]);
  }

  /** True when the text's largest |attribution| (non-special) falls on a term. */
  static boolean topOn(Explanation e, List<FeedbackItem.Span> terms) {
    TokenAttribution top = null;
    for (TokenAttribution t : e.tokens()) {
      if (!t.special()
          && (top == null || Math.abs(t.attribution()) > Math.abs(top.attribution()))) {
        top = t;
      }
    }
    if (top == null) {
      return false;
    }
    for (FeedbackItem.Span s : terms) {
      if (top.start() < s.end() && s.start() < top.end()) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Double> shares(CandorModel m, List<Example> texts) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    out.put("placeholders", share(m, texts, SpuriousTerms::placeholders));
    out.put("identity", share(m, texts, SpuriousTerms::identity));
    return out;
  }

  /**
   * The report: shares with their relative change, figures with their change in points and, with
   * {@code --bootstrap}, the 95 % paired bootstrap interval of that change over the reported texts.
   */
  private void printReport(
      PrintWriter o, Measured before, Measured after, int measured, List<Example> reported) {
    o.printf(
        Locale.ROOT,
        "share of |attribution| on the terms, %d validation texts not in the gate slice"
            + " (predicted class):%n",
        measured);
    for (String k : List.of("placeholders", "identity")) {
      double b = before.figures().get(k);
      double a = after.figures().get(k);
      o.printf(
          Locale.ROOT, "  %-13s before %.4f  after %.4f  (%+.0f %%)%n", k, b, a, 100 * (a - b) / b);
    }
    Map<String, PairedBootstrap.Interval> ci = Map.of();
    if (bootstrap > 0) {
      ci =
          PairedBootstrap.differences(
              reported.size(),
              bootstrap,
              11,
              idx -> resampled(reported, before, idx),
              idx -> resampled(reported, after, idx));
    }
    o.printf(
        Locale.ROOT,
        "figures on %d validation texts not in the gate slice, before → after%s:%n",
        reported.size(),
        bootstrap > 0
            ? " (95 % paired bootstrap interval of the change, " + bootstrap + " resamples)"
            : "");
    for (String k :
        List.of(
            "accuracy",
            "macro_f1",
            "auroc",
            "bias_subgroup_auc",
            "bias_bpsn_auc",
            "bias_bnsp_auc")) {
      double b = before.figures().get(k);
      double a = after.figures().get(k);
      PairedBootstrap.Interval in = ci.get(k);
      o.printf(
          Locale.ROOT,
          "  %-17s %.4f → %.4f  (%+.2f points%s)%n",
          k,
          b,
          a,
          100 * (a - b),
          in == null
              ? ""
              : String.format(Locale.ROOT, "; [%+.2f, %+.2f]", 100 * in.low(), 100 * in.high()));
    }
  }

  private static Map<String, Double> resampled(List<Example> rows, Measured model, int[] idx) {
    List<Example> r = new ArrayList<>(idx.length);
    List<Prediction> p = new ArrayList<>(idx.length);
    for (int i : idx) {
      r.add(rows.get(i));
      p.add(model.predictions().get(i));
    }
    return Gate.predictionFigures(r, p, model.labels());
  }

  private static double share(
      CandorModel m, List<Example> texts, Function<String, List<FeedbackItem.Span>> terms) {
    List<Gate.MarkedText> marked = new ArrayList<>();
    for (Example e : texts) {
      List<FeedbackItem.Span> s = terms.apply(e.text());
      if (!s.isEmpty()) {
        marked.add(new Gate.MarkedText(e.text(), s));
      }
    }
    return Gate.markedShare(m, marked);
  }
}
