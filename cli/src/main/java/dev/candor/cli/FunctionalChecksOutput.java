package dev.candor.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.evaluation.functional.FunctionalResult;
import dev.candor.evaluation.functional.FunctionalSuite;
import dev.candor.model.CandorModel;
import dev.candor.model.DeviceChoice;
import dev.candor.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** {@code candor evaluate --functional}: the functional checks of one or more bundles. */
final class FunctionalChecksOutput {
  private final FunctionalSuite suite;
  private final DeviceChoice device;
  private final boolean json;

  FunctionalChecksOutput(FunctionalSuite suite, DeviceChoice device, boolean json) {
    this.suite = suite;
    this.device = device;
    this.json = json;
  }

  void run(List<Path> bundles, PrintWriter out, PrintWriter err) throws IOException {
    List<String> names = new ArrayList<>();
    List<FunctionalResult> results = new ArrayList<>();
    int n = suite.cases().size();
    for (Path dir : bundles) {
      ModelBundle bundle = ModelBundle.read(dir);
      try (CandorModel m = CandorModel.fromBundle(bundle, null, device)) {
        ProgressBar bar = new ProgressBar(err, "functional checks " + dir.getFileName());
        results.add(FunctionalResult.evaluate(m, suite, done -> bar.update(done, n, "", false)));
        bar.update(n, n, "", true);
        names.add(dir.getFileName() + " (" + m.version() + ")");
      }
    }
    if (json) {
      ArrayNode arr = JsonOutput.JSON.createArrayNode();
      for (int i = 0; i < results.size(); i++) {
        FunctionalResult r = results.get(i);
        ObjectNode o = arr.addObject();
        o.put("model", bundles.get(i).toString());
        o.put("suite", r.suiteSource());
        o.put("suite_sha256", r.suiteSha256());
        o.put("cases", r.n());
        o.put("accuracy", r.accuracy());
        o.put("mean_over_functionalities", r.meanOverFunctionalities());
        o.put("balanced_accuracy", r.balancedAccuracy());
        ObjectNode byE = o.putObject("by_expected_label");
        for (FunctionalResult.Row row : r.byExpected()) {
          byE.putObject(row.name()).put("n", row.n()).put("accuracy", row.accuracy());
        }
        ObjectNode byF = o.putObject("by_functionality");
        for (FunctionalResult.Row row : r.byFunctionality()) {
          byF.putObject(row.name()).put("n", row.n()).put("accuracy", row.accuracy());
        }
        ObjectNode byG = o.putObject("by_group");
        for (FunctionalResult.Row row : r.byGroup()) {
          byG.putObject(row.name()).put("n", row.n()).put("accuracy", row.accuracy());
        }
      }
      out.println(arr);
      return;
    }
    out.printf(
        Locale.ROOT,
        "functional checks %s (sha256 %s): %d cases, expected labels toxic/normal%n",
        suite.source(),
        suite.sha256().substring(0, 12),
        n);
    for (int i = 0; i < names.size(); i++) {
      out.printf(Locale.ROOT, "  [%d] %s%n", i + 1, names.get(i));
    }
    out.printf(Locale.ROOT, "%-22s %5s", "functionality", "n");
    for (int i = 0; i < names.size(); i++) {
      out.printf(Locale.ROOT, " %7s", "[" + (i + 1) + "]");
    }
    out.println();
    rows(out, results, FunctionalResult::byFunctionality, "");
    line(out, "overall (cases)", String.valueOf(n), results, FunctionalResult::accuracy);
    line(out, "mean of functionalities", "", results, FunctionalResult::meanOverFunctionalities);
    rows(out, results, FunctionalResult::byExpected, "expected ");
    line(out, "balanced (mean of both)", "", results, FunctionalResult::balancedAccuracy);
    out.println("by group (accuracy over its cases)");
    rows(out, results, FunctionalResult::byGroup, "");
  }

  /** One line per row of the first result, with each result's accuracy on that row. */
  private static void rows(
      PrintWriter out,
      List<FunctionalResult> results,
      Function<FunctionalResult, List<FunctionalResult.Row>> rows,
      String prefix) {
    List<FunctionalResult.Row> firstRows = rows.apply(results.get(0));
    for (int row = 0; row < firstRows.size(); row++) {
      FunctionalResult.Row first = firstRows.get(row);
      int i = row;
      line(
          out,
          prefix + first.name(),
          String.valueOf(first.n()),
          results,
          r -> rows.apply(r).get(i).accuracy());
    }
  }

  /** A label, a case count (or blank) and one figure per result. */
  private static void line(
      PrintWriter out,
      String label,
      String n,
      List<FunctionalResult> results,
      ToDoubleFunction<FunctionalResult> figure) {
    out.printf(Locale.ROOT, "%-22s %5s", label, n);
    for (FunctionalResult r : results) {
      out.printf(Locale.ROOT, " %7.3f", figure.applyAsDouble(r));
    }
    out.println();
  }
}
