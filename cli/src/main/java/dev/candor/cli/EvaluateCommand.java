package dev.candor.cli;

import dev.candor.evaluation.functional.FunctionalSuite;
import dev.candor.model.CandorModel;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.train.ClassificationMetrics;
import dev.candor.model.train.LabelledScoring;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Accuracy, macro-F1, AUROC and the confusion matrix of a model on a labelled JSONL file; with
 * {@code --report}, the full explanation-quality comparison of models and explainers.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score a model on a labelled JSONL file (default: hatexplain/val.jsonl).",
      "With --report: compare models and explainers (faithfulness, SeqPG, plausibility, bias, cost)"
          + " and write <out>/evaluation.md and evaluation.json (with B-cos models of several B,"
          + " also <out>/bsweep-*.svg)."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOption model;

  @Mixin LabelledFileOption input;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "first N rows only (with --report: N rows drawn at random with --seed)")
  int limit;

  @Mixin ReportOptions reportOptions;

  @Option(names = "--json", description = "print the metrics as JSON")
  boolean json;

  @Option(
      names = "--functional",
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "FILE",
      description =
          "score the functional checks (default: the shipped suite, docs/functional-checks.md)"
              + " instead of a labelled file: accuracy per functionality and overall, for --model"
              + " or each bundle of --models")
  String functional;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (functional != null) {
      List<Path> bundles =
          reportOptions.models != null && !reportOptions.models.isEmpty()
              ? reportOptions.models
              : List.of(model.bundleDir());
      FunctionalSuite suite =
          functional.isEmpty()
              ? FunctionalSuite.bundled()
              : FunctionalSuite.read(Path.of(functional));
      new FunctionalChecksOutput(suite, model.device.choice(), json).run(bundles, out, err);
      out.flush();
      return 0;
    }
    Path f = input.resolve();
    if (reportOptions.report) {
      List<Path> bundles =
          reportOptions.models != null && !reportOptions.models.isEmpty()
              ? reportOptions.models
              : List.of(model.bundleDir());
      String command = Invocation.of(spec);
      List<Path> written =
          reportOptions.write(bundles, f, limit, model.device.choice(), command, err);
      out.println(
          "wrote " + written.stream().map(Path::toString).collect(Collectors.joining(", ")));
      out.flush();
      return 0;
    }
    JsonlDataset ds = JsonlDataset.read(f);
    ModelBundle bundle = ModelBundle.read(model.bundleDir()); // read once: checked and loaded
    String manifest = bundle.manifestSha256();
    try (CandorModel m = CandorModel.fromBundle(bundle, null, model.device.choice())) {
      // a three-class model reads label3 from HateXplain rows, never the binary label's indices
      List<Example> rows = ds.forLabels(m.config().labels()).head(limit);
      int k = m.config().numLabels();
      for (Example e : rows) {
        if (e.label() < 0 || e.label() >= k) {
          throw new IllegalArgumentException(
              f
                  + ": example "
                  + e.id()
                  + " has label "
                  + e.label()
                  + " but the model has "
                  + k
                  + " labels "
                  + m.config().labels());
        }
      }
      ProgressBar bar = new ProgressBar(err, "evaluating");
      ClassificationMetrics r =
          LabelledScoring.score(m, rows, 64, done -> bar.update(done, rows.size(), "", false));
      bar.update(rows.size(), rows.size(), "", true);
      if (json) {
        var o = JsonOutput.JSON.createObjectNode();
        o.put("model_version", m.version());
        o.put("model_manifest_sha256", manifest);
        o.put("file", f.toString());
        o.put("sha256", ds.sha256());
        o.set("labels", JsonOutput.JSON.valueToTree(m.config().labels()));
        o.set("metrics", JsonOutput.JSON.valueToTree(r.asMap()));
        out.println(o);
      } else {
        out.printf(
            Locale.ROOT,
            "model %s (manifest sha256 %s) on %s (%d texts, sha256 %s)%n",
            m.version(),
            manifest.substring(0, 12),
            f,
            r.n(),
            ds.sha256().substring(0, 12));
        out.printf(
            Locale.ROOT,
            "accuracy %.4f  macro-F1 %.4f  AUROC %.4f%n",
            r.accuracy(),
            r.macroF1(),
            r.auroc());
        MetricsTable.print(out, r, m.config().labels());
      }
    }
    out.flush();
    return 0;
  }
}
