package dev.candor.cli;

import dev.candor.model.CandorModel;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.Explanation;
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

  @Option(names = "--label", description = "explain this label instead of the predicted one")
  String label;

  @Option(names = "--color", defaultValue = "auto", description = "auto, always or never")
  String color;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      description = "most texts in one padded batch (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--sub-batching",
      defaultValue = "on",
      description =
          "on: texts are read in windows of 8 batches and grouped by length into padded batches"
              + " when the token counts say that is cheaper (output keeps the input order, results"
              + " are the same); off: batches of --batch-size in input order (default:"
              + " ${DEFAULT-VALUE})")
  String subBatching;

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
    try (CandorModel m = model.load();
        Explainer explainer = new Explainer(m, SubBatchPlanner.parse(subBatching), batchSize)) {
      int target = -1;
      if (label != null) {
        target = m.config().labels().indexOf(label);
        if (target < 0) {
          throw new IllegalArgumentException(
              "unknown label '" + label + "'; the model's labels are " + m.config().labels());
        }
      }
      int window = ClassifyCommand.windowSize(batchSize, explainer.planner());
      for (int from = 0; from < texts.size(); from += window) {
        List<String> batch = texts.subList(from, Math.min(texts.size(), from + window));
        int[] targets = null;
        if (target >= 0) {
          targets = new int[batch.size()];
          java.util.Arrays.fill(targets, target);
        }
        for (Explanation e : explainer.explain(batch, targets)) {
          if (json) {
            out.println(JsonOutput.explanation(e));
          } else {
            print(out, e, useColor);
          }
        }
      }
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, Explanation e, boolean color) {
    var p = e.prediction();
    out.printf(
        Locale.ROOT,
        "%s %.3f  (explaining '%s': logit %.4f = Σ attributions %+.4f, residual %.1e)%s%n",
        p.label(),
        p.probabilities()[p.predicted()],
        p.labels().get(e.explained()),
        e.explainedLogit(),
        e.explainedLogit() - e.residual(),
        e.residual(),
        e.droppedTokens() > 0 ? " [truncated: " + e.droppedTokens() + " tokens not read]" : "");
    out.println("  " + Heatmap.render(e, color));
    out.printf(
        Locale.ROOT,
        "  top words: %s | [CLS]/[SEP] share %.0f%%%n%n",
        Heatmap.topWords(e, 5),
        100 * e.specialTokenShare());
  }
}
