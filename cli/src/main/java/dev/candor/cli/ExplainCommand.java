package dev.candor.cli;

import dev.candor.model.CandorModel;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.ExplanationTarget;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Classifies texts and shows each token's exact contribution. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Classify and explain texts: a token heat-map (red: for the label, blue: against).")
final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOption model;
  @Mixin TextInput input;

  @Option(names = "--json", description = "one JSON object per text")
  boolean json;

  @Option(
      names = "--label",
      description =
          "the class whose logit is explained: a label name, 'all' (one explanation per class) or"
              + " 'predicted' (default)")
  String label;

  @Option(
      names = "--target",
      defaultValue = "logit",
      paramLabel = "logit|relative",
      description =
          "what the contributions sum to: the class's logit, or relative: that logit minus the"
              + " mean of the other logits (default: ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--color", defaultValue = "auto", description = "auto, always or never")
  String color;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      description = "most texts in one padded batch (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Mixin SubBatchingOption subBatching;

  @Override
  public Integer call() throws Exception {
    List<String> texts = input.read(System.in);
    PrintWriter out = spec.commandLine().getOut();
    boolean useColor =
        switch (color) {
          case "always" -> true;
          case "never" -> false;
          case "auto" -> System.console() != null && System.getenv("NO_COLOR") == null;
          default -> throw new IllegalArgumentException("--color must be auto, always or never");
        };
    ExplanationTarget what = ExplanationTarget.parse(target);
    try (CandorModel m = model.load();
        Explainer explainer = new Explainer(m, what, subBatching.planner(), batchSize)) {
      List<String> labels = m.config().labels();
      List<Integer> classes = explainedClasses(label, labels);
      int window = ClassifyCommand.windowSize(batchSize, explainer.planner());
      for (int from = 0; from < texts.size(); from += window) {
        List<String> batch = texts.subList(from, Math.min(texts.size(), from + window));
        List<List<Explanation>> perClass = new ArrayList<>();
        for (Integer c : classes) {
          int[] targets = null;
          if (c != null) {
            targets = new int[batch.size()];
            Arrays.fill(targets, c);
          }
          perClass.add(explainer.explain(batch, targets));
        }
        for (int i = 0; i < batch.size(); i++) {
          for (List<Explanation> explained : perClass) {
            Explanation e = explained.get(i);
            if (json) {
              out.println(JsonOutput.explanation(e));
            } else {
              print(out, e, useColor);
            }
          }
        }
      }
    }
    out.flush();
    return 0;
  }

  /**
   * The classes to explain: {@code [null]} for each text's predicted class, every index for "all",
   * else the one named.
   */
  static List<Integer> explainedClasses(String label, List<String> labels) {
    if (label == null || label.equals("predicted")) {
      return Collections.singletonList(null);
    }
    if (label.equals("all")) {
      List<Integer> all = new ArrayList<>();
      for (int c = 0; c < labels.size(); c++) {
        all.add(c);
      }
      return all;
    }
    int target = labels.indexOf(label);
    if (target < 0) {
      throw new IllegalArgumentException(
          "unknown label '"
              + label
              + "'; the model's labels are "
              + labels
              + " (or use 'predicted' or 'all')");
    }
    return List.of(target);
  }

  private static void print(PrintWriter out, Explanation e, boolean color) {
    var p = e.prediction();
    StringBuilder scores = new StringBuilder();
    for (int c = 0; c < p.labels().size(); c++) {
      scores.append(c == 0 ? "" : "  ");
      scores.append(String.format(Locale.ROOT, "%s %.3f", p.labels().get(c), p.probabilities()[c]));
    }
    out.printf(
        Locale.ROOT,
        "%s %.3f  (explaining '%s': %s %.4f = Σ attributions %+.4f, residual %.1e)%s%n",
        p.label(),
        p.probabilities()[p.predicted()],
        p.labels().get(e.explained()),
        e.target() == ExplanationTarget.LOGIT ? "logit" : "logit − mean of the others",
        e.explainedValue(),
        e.explainedValue() - e.residual(),
        e.residual(),
        e.droppedTokens() > 0 ? " [truncated: " + e.droppedTokens() + " tokens not read]" : "");
    if (p.labels().size() > 2) {
      out.println("  scores: " + scores);
    }
    out.println("  " + Heatmap.render(e, color));
    out.printf(
        Locale.ROOT,
        "  top words: %s | [CLS]/[SEP] share %.0f%%%n%n",
        Heatmap.topWords(e, 5),
        100 * e.specialTokenShare());
  }
}
