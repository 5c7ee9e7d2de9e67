package dev.candor.cli;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.soup.ModelSoup;
import dev.candor.model.soup.Soup;
import dev.candor.model.train.ClassificationMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code candor soup}: one bundle from the averaged weights of several (a model soup). */
@Command(
    name = "soup",
    mixinStandardHelpOptions = true,
    description = {
      "Average the weights of bundles fine-tuned from the same pre-trained weights (e.g. `candor"
          + " train` at several --seed) into one bundle: a model soup (Wortsman et al. 2022). It"
          + " costs one forward pass like any bundle, and a B-cos soup's explanations are exact.",
      "Every ingredient and the soup are scored on a validation file (default:"
          + " hatexplain/val.jsonl); the figures go into the soup's metrics.json."
    })
final class SoupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--models",
      split = ",",
      required = true,
      paramLabel = "DIR",
      description = "two or more bundle directories to average")
  List<Path> models;

  @Option(
      names = "--greedy",
      description =
          "greedy recipe: start from the best ingredient by validation macro-F1 and add each"
              + " further one only when the soup's validation macro-F1 does not fall (default:"
              + " uniform, every ingredient)")
  boolean greedy;

  @Mixin LabelledFileOption input;

  @Mixin DeviceOption device;

  @Option(names = "--out", required = true, description = "bundle directory to create")
  Path out;

  @Option(names = "--force", description = "replace an existing bundle directory")
  boolean force;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    BundleTarget.checkReplaceable(out, force);
    List<ModelBundle> bundles = new ArrayList<>();
    for (Path p : models) {
      if (p.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("--out " + out + " is one of the --models");
      }
      bundles.add(ModelBundle.read(p));
    }
    Path file = input.resolve();
    JsonlDataset ds = JsonlDataset.read(file);
    List<Example> rows = ds.forLabels(bundles.get(0).config().labels()).examples();
    ModelSoup.Recipe recipe = greedy ? ModelSoup.Recipe.GREEDY : ModelSoup.Recipe.UNIFORM;
    err.printf(
        Locale.ROOT,
        "%s soup of %d bundles, scored on %s (%d texts)%n",
        greedy ? "greedy" : "uniform",
        bundles.size(),
        file,
        rows.size());
    Soup soup =
        ModelSoup.builder()
            .setIngredients(bundles)
            .setValidation(rows, ds.provenance("validation"))
            .optRecipe(recipe)
            .optCommand(Invocation.of(spec))
            .optDevice(device.choice().resolve())
            .optListener(new Progress(err))
            .build()
            .make();
    ModelBundle.delete(out);
    ModelBundle written = soup.writeBundle(out);
    PrintWriter o = spec.commandLine().getOut();
    for (Object i : (List<?>) soup.metrics().get("ingredients")) {
      Map<?, ?> m = (Map<?, ?>) i;
      print(o, (Boolean) m.get("in_soup") ? "in soup " : "left out", m.get("version"), m);
    }
    print(o, "soup    ", written.version(), soup.metrics());
    o.println("bundle " + out + " (version " + written.version() + ")");
    return 0;
  }

  private static void print(PrintWriter o, String tag, Object version, Map<?, ?> holder) {
    Map<?, ?> v = (Map<?, ?>) holder.get("validation");
    o.printf(
        Locale.ROOT,
        "%s %-40s accuracy %.4f  macro-F1 %.4f  AUROC %.4f%n",
        tag,
        version,
        (Double) v.get("accuracy"),
        (Double) v.get("macro_f1"),
        (Double) v.get("auroc"));
  }

  /** One bar per scoring pass, and a line per greedy step. */
  private static final class Progress implements ModelSoup.Listener {
    private final PrintWriter err;
    private ProgressBar bar;
    private String current;

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void onScoring(String what, int done, int total) {
      if (!what.equals(current)) {
        current = what;
        bar = new ProgressBar(err, "scoring " + what);
      }
      bar.update(done, total, "", done == total);
    }

    @Override
    public void onCandidate(String version, ClassificationMetrics withIt, boolean kept) {
      err.printf(
          Locale.ROOT,
          "  adding %s: macro-F1 %.4f -> %s%n",
          version,
          withIt.macroF1(),
          kept ? "kept" : "left out");
    }
  }
}
