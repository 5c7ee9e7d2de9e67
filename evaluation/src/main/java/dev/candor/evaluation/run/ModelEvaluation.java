package dev.candor.evaluation.run;

import dev.candor.evaluation.BiasMetrics;
import dev.candor.evaluation.BiasReport;
import dev.candor.evaluation.ExplainedExample;
import dev.candor.evaluation.ExplanationEntropy;
import dev.candor.evaluation.Faithfulness;
import dev.candor.evaluation.FaithfulnessResult;
import dev.candor.evaluation.MemoizedProbabilities;
import dev.candor.evaluation.Plausibility;
import dev.candor.evaluation.PlausibilityResult;
import dev.candor.evaluation.RationaleExample;
import dev.candor.evaluation.ReportRow;
import dev.candor.evaluation.SeqPg;
import dev.candor.evaluation.SeqPgPair;
import dev.candor.evaluation.SeqPgPairs;
import dev.candor.evaluation.posthoc.ModelProbabilities;
import dev.candor.evaluation.posthoc.TokenExplainer;
import dev.candor.model.CandorModel;
import dev.candor.model.data.Example;
import dev.candor.model.tokenize.TokenizedText;
import dev.candor.model.train.ClassificationMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * All report rows of one model: task and bias metrics once (they do not depend on the explainer),
 * then faithfulness, SeqPG, plausibility and cost per explainer. Runs on the caller's thread, which
 * must be a {@link dev.candor.model.ModelThread}.
 */
final class ModelEvaluation {
  private final CandorModel model;
  private final String name;
  private final List<Example> examples;
  private final EvaluationOptions options;
  private final Consumer<String> log;
  private final boolean sweep;
  private final ModelProbabilities probabilities;

  /** Comp/Suff inputs repeat across fractions and explainers; each distinct one is run once. */
  private final MemoizedProbabilities masked;

  private final List<TokenizedText> texts = new ArrayList<>();
  private final List<Example> spanExamples;
  private final List<TokenizedText> spanTexts = new ArrayList<>();
  private int[] predicted;
  private double[][] probs;
  private int seqPgPairCount;
  private ClassificationMetrics classification;

  /** A SeqPG input with the true class of each segment (which the model predicted correctly). */
  private record Pairing(SeqPgInput input, int classA, int classB) {}

  /**
   * @param spanExamples Toxic Spans rows with spans, scored for plausibility only (may be empty)
   */
  ModelEvaluation(
      CandorModel model,
      String name,
      List<Example> examples,
      List<Example> spanExamples,
      EvaluationOptions options,
      Consumer<String> log,
      boolean sweep) {
    this.sweep = sweep;
    this.model = model;
    this.name = name;
    this.examples = examples;
    this.spanExamples = spanExamples;
    this.options = options;
    this.log = log;
    this.probabilities = new ModelProbabilities(model);
    this.masked = new MemoizedProbabilities(probabilities);
  }

  /** The task metrics over the examples; set by {@link #rows}. */
  ClassificationMetrics classification() {
    if (classification == null) {
      throw new IllegalStateException("rows() was not called");
    }
    return classification;
  }

  /** Call once. Also appends notes (skipped explainers and bias subgroups) to {@code notes}. */
  List<ReportRow> rows(List<TokenExplainer> explainers, List<String> notes) {
    if (!texts.isEmpty()) {
      throw new IllegalStateException("rows() was already called");
    }
    int k = model.config().numLabels();
    List<long[]> ids = new ArrayList<>();
    int[] labels = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      if (e.label() < 0 || e.label() >= k) {
        throw new IllegalArgumentException(
            "example "
                + e.id()
                + " has label "
                + e.label()
                + " but model "
                + name
                + " has "
                + k
                + " labels "
                + model.config().labels());
      }
      labels[i] = e.label();
      texts.add(model.tokenizer().encode(e.text()));
      ids.add(texts.get(i).ids());
    }
    for (Example e : spanExamples) {
      spanTexts.add(model.tokenizer().encode(e.text()));
    }
    log.accept(name + ": classifying " + texts.size() + " texts");
    probs = probabilities.ofIds(ids);
    predicted = new int[probs.length];
    double[] positive = new double[probs.length];
    for (int i = 0; i < probs.length; i++) {
      predicted[i] = argMax(probs[i]);
      positive[i] = probs[i][Math.min(1, k - 1)];
    }
    classification = ClassificationMetrics.ofProbabilities(labels, predicted, probs, k);
    BiasReport bias;
    if (k == 2) {
      bias = bias(labels, positive, notes);
    } else {
      int benign = BiasMetrics.benignClass(model.config().labels());
      bias =
          bias(
              BiasMetrics.toxicVsBenign(labels, benign),
              BiasMetrics.toxicScore(probs, benign),
              notes);
      String b = model.config().labels().get(benign);
      notes.add(
          name
              + ": bias AUCs of a "
              + k
              + "-class model: toxic = every class but '"
              + b
              + "', scored by 1 − p("
              + b
              + ")");
    }
    double predictedSum = 0;
    for (int i = 0; i < probs.length; i++) {
      predictedSum += probs[i][predicted[i]];
    }
    double meanPredicted = probs.length == 0 ? Double.NaN : predictedSum / probs.length;
    List<Pairing> pairs = seqPgInputs(labels);
    seqPgPairCount = pairs.size();
    List<ReportRow> rows = new ArrayList<>();
    for (TokenExplainer explainer : explainers) {
      if (explainer.name().equals("bcos") && !model.config().bcos()) {
        notes.add(name + ": bcos explainer skipped (conventional model)");
        continue;
      }
      log.accept(name + ": explaining with " + explainer.name() + " (" + explainer.target() + ")");
      ReportRow.Builder row =
          ReportRow.builder(name, explainer.name())
              .modelKind(model.config().bcos(), model.config().b())
              .sweep(sweep)
              .target(explainer.target())
              .meanPredictedProbability(meanPredicted)
              .explainerSteps(
                  switch (explainer.name()) {
                    case "ig" -> options.igSteps();
                    case "shapley" -> options.shapleySamples();
                    case "lime" -> options.limeSamples();
                    default -> null;
                  })
              .classification(classification);
      if (bias != null) {
        row.bias(bias);
      }
      rows.add(explain(explainer, pairs, row));
    }
    return rows;
  }

  private ReportRow explain(TokenExplainer explainer, List<Pairing> pairs, ReportRow.Builder row) {
    int batch = Math.max(1, options.batchSize());
    double[][] scores = new double[texts.size()][];
    long started = System.nanoTime();
    for (int from = 0; from < texts.size(); from += batch) {
      int to = Math.min(texts.size(), from + batch);
      int[] targets = Arrays.copyOfRange(predicted, from, to);
      double[][] part = explainer.explain(model, texts.subList(from, to), targets);
      System.arraycopy(part, 0, scores, from, part.length);
      log.accept(name + ": " + explainer.name() + " " + to + "/" + texts.size() + " texts");
    }
    double ms = (System.nanoTime() - started) / 1e6 / texts.size();
    int mask = (int) model.tokenizer().maskId();
    List<ExplainedExample> explained = new ArrayList<>();
    List<RationaleExample> rationales = new ArrayList<>();
    double entropySum = 0.0;
    int entropyCount = 0;
    for (int i = 0; i < texts.size(); i++) {
      TokenizedText t = texts.get(i);
      int[] ids = new int[t.length()];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = (int) t.ids()[j];
      }
      explained.add(new ExplainedExample(ids, t.special(), scores[i], predicted[i], mask));
      double h = ExplanationEntropy.normalized(scores[i], t.special());
      if (!Double.isNaN(h)) {
        entropySum += h;
        entropyCount++;
      }
      boolean[] rationale = Rationales.wordPieces(examples.get(i).raw(), t);
      if (rationale != null) {
        rationales.add(new RationaleExample(scores[i], rationale, t.special()));
      }
    }
    FaithfulnessResult comp = Faithfulness.comprehensiveness(masked, explained, options.protocol());
    FaithfulnessResult suff = Faithfulness.sufficiency(masked, explained, options.protocol());
    row.explainMsPerText(ms)
        .entropy(entropyCount == 0 ? null : entropySum / entropyCount)
        .comp(comp.mean())
        .suff(suff.mean())
        .compAuc(comp.auc())
        .suffAuc(suff.auc());
    if (!rationales.isEmpty()) {
      row.plausibility(Plausibility.evaluate(rationales, 0));
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "%s: %s Comp/Suff/plausibility done (model so far: %,d masked"
                + " inputs, %,d distinct)",
            name,
            explainer.name(),
            masked.requested(),
            masked.computed()));
    if (!spanTexts.isEmpty()) {
      row.toxicSpans(toxicSpans(explainer));
      log.accept(name + ": " + explainer.name() + " Toxic Spans done");
    }
    if (!pairs.isEmpty()) {
      row.seqPg(seqPg(explainer, pairs));
      log.accept(name + ": " + explainer.name() + " SeqPG done");
    }
    return row.build();
  }

  /** Plausibility of the toxic-class explanation against the Toxic Spans rows (not timed). */
  private PlausibilityResult toxicSpans(TokenExplainer explainer) {
    int batch = Math.max(1, options.batchSize());
    int toxic = ToxicSpans.toxicClass(model.config().labels());
    List<RationaleExample> rationales = new ArrayList<>();
    for (int from = 0; from < spanTexts.size(); from += batch) {
      int to = Math.min(spanTexts.size(), from + batch);
      int[] targets = new int[to - from];
      Arrays.fill(targets, toxic);
      double[][] part = explainer.explain(model, spanTexts.subList(from, to), targets);
      for (int i = from; i < to; i++) {
        TokenizedText t = spanTexts.get(i);
        rationales.add(
            new RationaleExample(
                part[i - from], ToxicSpans.wordPieces(spanExamples.get(i).raw(), t), t.special()));
      }
    }
    return Plausibility.evaluate(rationales, 0);
  }

  /** Each pair is explained twice, once per segment's class, in the same batch. */
  private double seqPg(TokenExplainer explainer, List<Pairing> inputs) {
    List<TokenizedText> doubled = new ArrayList<>();
    int[] targets = new int[2 * inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      doubled.add(inputs.get(i).input().text());
      doubled.add(inputs.get(i).input().text());
      targets[2 * i] = inputs.get(i).classA();
      targets[2 * i + 1] = inputs.get(i).classB();
    }
    double[][] a = new double[doubled.size()][];
    int batch = Math.max(2, options.batchSize() - options.batchSize() % 2);
    for (int from = 0; from < doubled.size(); from += batch) {
      int to = Math.min(doubled.size(), from + batch);
      double[][] part =
          explainer.explain(
              model, doubled.subList(from, to), Arrays.copyOfRange(targets, from, to));
      System.arraycopy(part, 0, a, from, part.length);
    }
    List<SeqPgPair> pairs = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      SeqPgInput in = inputs.get(i).input();
      pairs.add(
          new SeqPgPair(in.startA(), in.endA(), in.startB(), in.endB(), a[2 * i], a[2 * i + 1]));
    }
    return SeqPg.score(pairs).mean();
  }

  /**
   * Pairs of confidently and correctly classified texts of different classes (chosen once per
   * model).
   */
  private List<Pairing> seqPgInputs(int[] labels) {
    if (options.seqPgPairs() <= 0) {
      return List.of();
    }
    List<SeqPgPairs.Candidate> candidates = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      String id = examples.get(i).id() + "#" + i; // ids may repeat; the pairing needs unique ones
      index.put(id, i);
      candidates.add(
          new SeqPgPairs.Candidate(
              id, labels[i], probs[i][predicted[i]], predicted[i] == labels[i]));
    }
    int content = Math.min(options.seqPgContent(), (model.config().maxLength() - 2) / 2);
    List<Pairing> out = new ArrayList<>();
    for (SeqPgPairs.Pair p :
        SeqPgPairs.select(
            candidates, options.seqPgConfidence(), options.seqPgPairs(), options.seed())) {
      out.add(
          new Pairing(
              SeqPgInput.concatenate(
                  texts.get(index.get(p.first().id())),
                  texts.get(index.get(p.second().id())),
                  content),
              p.first().label(),
              p.second().label()));
    }
    return out;
  }

  private BiasReport bias(int[] labels, double[] positive, List<String> notes) {
    Map<String, boolean[]> groups = BiasMetrics.hateXplainMembership(examples);
    boolean any =
        groups.values().stream()
            .anyMatch(member -> IntStream.range(0, member.length).anyMatch(i -> member[i]));
    if (!any) {
      return null;
    }
    BiasReport r = BiasMetrics.compute(labels, positive, groups);
    r.skipped().forEach((g, why) -> notes.add(name + ": bias subgroup " + g + " skipped, " + why));
    return r;
  }

  /** SeqPG pairs found for this model (set by {@link #rows}). */
  int seqPgPairCount() {
    return seqPgPairCount;
  }

  private static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
