package dev.candor.evaluation.run;

import dev.candor.evaluation.BiasMetrics;
import dev.candor.evaluation.ClassBreakdown;
import dev.candor.evaluation.EvaluatedModel;
import dev.candor.evaluation.EvaluationProvenance;
import dev.candor.evaluation.Report;
import dev.candor.evaluation.ReportRow;
import dev.candor.evaluation.posthoc.Explainers;
import dev.candor.evaluation.posthoc.TokenExplainer;
import dev.candor.model.CandorModel;
import dev.candor.model.ModelThread;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.provenance.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The explained-moderation evaluation: for each model bundle and each explainer, task metrics,
 * faithfulness (Comp/Suff), SeqPG, plausibility against human rationales, bias AUCs and explanation
 * cost, as one {@link Report}. All model work happens on one {@link ModelThread}, one model at a
 * time.
 */
public final class EvaluationRun {

  private EvaluationRun() {}

  public static Report run(EvaluationOptions o, Consumer<String> log) throws IOException {
    JsonlDataset ds = JsonlDataset.read(o.dataset());
    List<Example> examples = sample(ds.examples(), o.limit(), o.seed());
    JsonlDataset spansDs = o.spansFile() == null ? null : JsonlDataset.read(o.spansFile());
    List<Example> withSpans =
        spansDs == null ? List.of() : ToxicSpans.withSpans(spansDs.examples());
    List<Example> spanExamples = sample(withSpans, o.limit(), o.seed());
    List<ReportRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<EvaluatedModel> evaluated = new ArrayList<>();
    List<ClassBreakdown> classes = new ArrayList<>();
    List<TokenExplainer> explainers =
        Explainers.create(
            o.explainers(),
            o.igSteps(),
            o.shapleySamples(),
            o.limeSamples(),
            o.seed(),
            o.targets());
    try (ModelThread worker = new ModelThread("candor-evaluation")) {
      List<TokenExplainer> bcosOnly =
          explainers.stream().filter(e -> e.name().equals("bcos")).toList();
      List<Path> all = new ArrayList<>(o.bundles());
      all.addAll(o.sweepBundles());
      for (int b = 0; b < all.size(); b++) {
        Path bundle = all.get(b);
        List<TokenExplainer> used = b < o.bundles().size() ? explainers : bcosOnly;
        if (used.isEmpty()) {
          throw new IllegalArgumentException(
              "--sweep-models needs the bcos explainer in --explainers");
        }
        String name = bundle.toAbsolutePath().normalize().getFileName().toString();
        log.accept("loading " + bundle);
        try (CandorModel model = load(bundle, name, o, evaluated)) {
          List<String> labels = model.config().labels();
          // the same rows for every model; a three-class model reads their label3, not label
          List<Example> forModel = sample(ds.forLabels(labels).examples(), o.limit(), o.seed());
          ModelEvaluation eval =
              new ModelEvaluation(
                  model, name, forModel, spanExamples, o, log, b >= o.bundles().size());
          rows.addAll(worker.call(() -> eval.rows(used, notes)));
          classes.add(ClassBreakdown.of(name, labels, eval.classification()));
          notes.add(name + ": SeqPG over " + eval.seqPgPairCount() + " pairs");
          if (spansDs != null) {
            int toxic = ToxicSpans.toxicClass(labels);
            notes.add(
                name + ": Toxic Spans explain class " + toxic + " (" + labels.get(toxic) + ")");
          }
        }
      }
    } finally {
      explainers.forEach(TokenExplainer::close);
    }
    List<String> method = methodNotes(o, ds, examples.size(), explainers);
    if (spansDs != null) {
      method.add(spansNote(o, spanExamples.size(), withSpans.size(), spansDs.examples().size()));
    }
    notes.addAll(0, method);
    List<DataSource> files = new ArrayList<>();
    files.add(ds.provenance("evaluation"));
    if (spansDs != null) {
      files.add(spansDs.provenance("spans"));
    }
    EvaluationProvenance provenance =
        new EvaluationProvenance(
            files,
            splitName(o.dataset()),
            examples.size(),
            evaluated,
            o.protocol().describe()
                + "; explanation target(s) "
                + o.targets().stream().map(t -> t.id()).toList()
                + "; erasure token [MASK]; aggregation: mean over k and trapezoid AUC over k",
            o.seed(),
            o.commandLine());
    return new Report("Explanation quality and cost", provenance, rows, notes, classes);
  }

  /**
   * Loads a bundle and records which exact one it was; a helper so that the bundle's weight arrays
   * are not kept alive while the model runs.
   */
  private static CandorModel load(
      Path bundle, String name, EvaluationOptions o, List<EvaluatedModel> evaluated)
      throws IOException {
    ModelBundle read = ModelBundle.read(bundle);
    evaluated.add(EvaluatedModel.of(name, read));
    return CandorModel.fromBundle(read, null, o.device());
  }

  /** A seeded random subset in file order, so a small {@code limit} still mixes the classes. */
  static List<Example> sample(List<Example> all, int limit, long seed) {
    if (limit <= 0 || limit >= all.size()) {
      return all;
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      idx.add(i);
    }
    Collections.shuffle(idx, new Random(seed));
    List<Integer> chosen = new ArrayList<>(idx.subList(0, limit));
    Collections.sort(chosen);
    List<Example> out = new ArrayList<>(limit);
    for (int i : chosen) {
      out.add(all.get(i));
    }
    return out;
  }

  private static List<String> methodNotes(
      EvaluationOptions o, JsonlDataset ds, int n, List<TokenExplainer> explainers) {
    List<String> notes = new ArrayList<>();
    notes.add(
        n == ds.examples().size()
            ? "All " + n + " rows of the file."
            : n
                + " of "
                + ds.examples().size()
                + " rows, drawn at random with seed "
                + o.seed()
                + " (file order kept).");
    notes.add(
        "Every explainer explains the model's predicted class. Comp ↑ / Suff ↓: "
            + o.protocol().describe()
            + ".");
    notes.add(protocolNote(o));
    notes.add(
        String.format(
            Locale.ROOT,
            "SeqPG ↑: up to %d pairs of correctly classified texts of different classes with"
                + " predicted-class probability ≥ %.2f, first %d word-pieces of each, [CLS] A B"
                + " [SEP]; share of positive attribution in the explained class's segment.",
            o.seqPgPairs(),
            o.seqPgConfidence(),
            o.seqPgContent()));
    notes.add(
        "Plaus. AUPRC ↑: average precision of the token scores against the HateXplain rationale"
            + " (union of annotators), mapped to word-pieces by character overlap; specials"
            + " excluded; posts without rationale (normal) are skipped.");
    notes.add(
        "Plaus. top-k F1 ↑: F1 of the k highest-scoring word-pieces against the same rationale, k ="
            + " the number of rationale word-pieces of the post.");
    notes.add(
        "Entropy: mean over texts of the Shannon entropy of |attribution| over non-special"
            + " word-pieces, divided by ln(their number); 1 = spread evenly, 0 = one word-piece"
            + " (over-sparse).");
    notes.add(
        "GMB columns: Jigsaw power mean (p = −5) of subgroup / BPSN / BNSP AUCs of P(class 1) over"
            + " HateXplain's target communities "
            + BiasMetrics.HATEXPLAIN_COMMUNITIES
            + "; model-level, the same"
            + " on every row of a model.");
    notes.add(
        String.format(
            Locale.ROOT,
            "Explain ms/text: wall time of the explainer alone (no metric"
                + " forwards), batches of %d texts, one model thread, %d CPU cores available.",
            o.batchSize(),
            Runtime.getRuntime().availableProcessors()));
    explainers.forEach(e -> notes.add("Explainer " + e.describe() + "."));
    return notes;
  }

  /**
   * The protocol in one line: what each explainer explains, the erasure token and both
   * aggregations; every report states it.
   */
  static String protocolNote(EvaluationOptions o) {
    List<Double> k = o.protocol().fractions();
    return "Protocol: explanation target(s) "
        + o.targets().stream().map(t -> t.describe()).toList()
        + " for the target-dependent explainers "
        + Explainers.TARGET_DEPENDENT.stream().filter(n -> !n.equals("inputxgradient")).toList()
        + " (Target column; probability: the explainer perturbs the softmax probability, none:"
        + " class-agnostic); Comp/Suff erase with the [MASK] token (id of the model's tokenizer)"
        + " and read the predicted class's softmax probability; Comp/Suff = mean over k of the"
        + " drop, Comp/Suff AUC = trapezoid area under the mean drop curve over k in [0, 1] (Σ_i"
        + " (k_{i+1} − k_i)(d_i + d_{i+1})/2 over k = "
        + k
        + ", no point at k = 0, not normalised: a flat curve at d gives "
        + String.format(Locale.ROOT, "%.1f", k.get(k.size() - 1) - k.get(0))
        + "·d); P(pred) = the model's mean predicted-class probability, the most Comp can reach"
        + " at k = 100%. `"
        + Explainers.METRIC_ALIGNED
        + "` is the metric-aligned upper reference (the perturbation Comp applies), `"
        + Explainers.FLOOR
        + "` the random-ranking floor; neither is a post-hoc baseline.";
  }

  private static String spansNote(EvaluationOptions o, int n, int withSpans, int all) {
    String which =
        n == withSpans
            ? "all " + n
            : n + " (drawn at random with seed " + o.seed() + ") of " + withSpans;
    return "Toxic Spans: "
        + which
        + " rows with spans of "
        + all
        + " in "
        + o.spansFile()
        + "; each explainer explains the toxic class (\"toxic\" in the model's labels, else the"
        + " last label); spans are code-point offsets, converted to UTF-16 and mapped to"
        + " word-pieces by overlap (specials excluded); AUPRC and top-k F1 (k = span word-pieces)"
        + " as for HateXplain; not part of the timing.";
  }

  private static String splitName(Path file) {
    String f = file.getFileName().toString();
    return f.endsWith(".jsonl") ? f.substring(0, f.length() - ".jsonl".length()) : f;
  }
}
