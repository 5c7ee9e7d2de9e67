package dev.candor.cli;

import dev.candor.evaluation.functional.FunctionalSuite;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code candor functional-data}: a training source expanded from functional templates, to mix into
 * {@code candor train --data} like any labelled folder (issue 14, docs/training-data.md).
 */
@Command(
    name = "functional-data",
    mixinStandardHelpOptions = true,
    description = {
      "Write a dataset folder (train.jsonl, val.jsonl in the uniform format, label 0 normal / 1"
          + " toxic) expanded from functional training templates: each template filled with"
          + " seeded random draws of an identity group and of its slots.",
      "The default templates are written for training and share no group or template with the"
          + " functional checks (`candor evaluate --functional`), which are never trained on:"
          + " the checks file is refused.",
      "Mix it in with e.g. `candor train --data hatexplain,DIR=1 --strip-punctuation NAME`."
    })
final class FunctionalDataCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--templates",
      paramLabel = "FILE",
      description =
          "template file (default: the shipped training templates, docs/training-data.md)")
  Path templates;

  @Option(
      names = "--per-template",
      defaultValue = FunctionalTrainingSource.PER_TEMPLATE,
      description =
          "training texts drawn per template (fewer where a template has fewer; default:"
              + " ${DEFAULT-VALUE})")
  int perTemplate;

  @Option(
      names = "--val-per-template",
      defaultValue = FunctionalTrainingSource.VAL_PER_TEMPLATE,
      description =
          "validation texts per template, none also in train.jsonl (default: ${DEFAULT-VALUE})")
  int valPerTemplate;

  @Option(
      names = "--seed",
      defaultValue = FunctionalTrainingSource.SEED,
      description = "draws (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "dataset folder to create")
  Path out;

  @Option(
      names = "--force",
      description = "replace train.jsonl and val.jsonl in an existing folder")
  boolean force;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    FunctionalSuite suite =
        templates == null ? FunctionalSuite.bundledTraining() : FunctionalSuite.read(templates);
    if (suite.sha256().equals(FunctionalSuite.bundled().sha256())) {
      throw new IllegalArgumentException(
          "--templates " + templates + " is the functional checks file, which is never trained on");
    }
    if (perTemplate < 1 || valPerTemplate < 0) {
      throw new IllegalArgumentException(
          "--per-template must be at least 1 and --val-per-template at least 0");
    }
    Path train = out.resolve("train.jsonl");
    Path val = out.resolve("val.jsonl");
    if (!force && (Files.exists(train) || Files.exists(val))) {
      throw new IllegalArgumentException(
          out + " already holds train.jsonl or val.jsonl (--force to replace them)");
    }
    FunctionalTrainingSource.Written w =
        FunctionalTrainingSource.write(suite, perTemplate, valPerTemplate, seed, out);
    err.printf(
        Locale.ROOT,
        "%s: %d templates from %s → %s (%d toxic / %d normal), %s (%d toxic / %d normal)%n",
        out,
        suite.templates().size(),
        suite.source(),
        train.getFileName(),
        count(w.train(), true),
        count(w.train(), false),
        val.getFileName(),
        count(w.val(), true),
        count(w.val(), false));
    return 0;
  }

  private static long count(List<FunctionalSuite.Case> cases, boolean toxic) {
    return cases.stream().filter(c -> c.expectedToxic() == toxic).count();
  }
}
