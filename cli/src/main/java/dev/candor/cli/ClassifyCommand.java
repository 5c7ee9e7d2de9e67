package dev.candor.cli;

import dev.candor.model.CandorModel;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Prediction;
import dev.candor.model.tokenize.SubBatchPlanner;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Classifies texts without explaining them. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = "Classify texts (arguments, --file, or stdin).")
final class ClassifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOption model;
  @Mixin TextInput input;

  @Option(names = "--json", description = "one JSON object per text")
  boolean json;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "most texts in one padded batch (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Mixin SubBatchingOption subBatching;

  @Override
  public Integer call() throws Exception {
    List<String> texts = input.read(System.in);
    PrintWriter out = spec.commandLine().getOut();
    try (CandorModel m = model.load();
        Explainer explainer = new Explainer(m, subBatching.planner(), batchSize)) {
      int window = windowSize(batchSize, explainer.planner());
      for (int from = 0; from < texts.size(); from += window) {
        List<String> batch = texts.subList(from, Math.min(texts.size(), from + window));
        List<Prediction> preds = explainer.predict(batch);
        for (int i = 0; i < batch.size(); i++) {
          Prediction p = preds.get(i);
          if (json) {
            out.println(JsonOutput.prediction(batch.get(i), p));
          } else {
            out.printf(
                Locale.ROOT,
                "%-8s %.3f%s%s  %s%n",
                p.label(),
                p.probabilities()[p.predicted()],
                allScores(p),
                p.truncated() ? " (truncated)" : "",
                oneLine(batch.get(i)));
          }
        }
      }
    }
    out.flush();
    return 0;
  }

  /** " [normal 0.100 offensive 0.288 hatespeech 0.612]" for more than two classes, else "". */
  static String allScores(Prediction p) {
    if (p.labels().size() <= 2) {
      return "";
    }
    StringBuilder b = new StringBuilder(" [");
    for (int c = 0; c < p.labels().size(); c++) {
      b.append(c == 0 ? "" : " ")
          .append(String.format(Locale.ROOT, "%s %.3f", p.labels().get(c), p.probabilities()[c]));
    }
    return b.append(']').toString();
  }

  /**
   * Texts handed to the explainer at once: 8 batches when sub-batching may regroup them by length
   * (results are printed after each window, in input order), one batch otherwise.
   */
  static int windowSize(int batchSize, SubBatchPlanner planner) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1");
    }
    return planner.enabled() ? (int) Math.min(Integer.MAX_VALUE, 8L * batchSize) : batchSize;
  }

  static String oneLine(String s) {
    String flat = s.replaceAll("\\s+", " ");
    return flat.length() > 100 ? flat.substring(0, 97) + "..." : flat;
  }
}
