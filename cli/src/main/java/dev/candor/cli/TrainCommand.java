package dev.candor.cli;

import dev.candor.model.CandorModel;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.data.DataDirectory;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import dev.candor.model.train.ClassificationMetrics;
import dev.candor.model.train.FineTuner;
import dev.candor.model.train.TrainingConfig;
import dev.candor.model.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Fine-tunes the bundled MiniLM (B-cos or conventional) on a JSONL dataset into a bundle. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Fine-tune a B-cos (default) or conventional MiniLM on train.jsonl/val.jsonl.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DeviceOption device;

  @Option(
      names = "--data",
      description = "datasets directory (default: $CANDOR_DATA or ../shared/data)")
  Path data;

  @Option(
      names = "--dataset",
      defaultValue = "hatexplain",
      description = "dataset folder name under --data, or a path (default: ${DEFAULT-VALUE})")
  String dataset;

  @Option(names = "--train-file", defaultValue = "train.jsonl")
  String trainFile;

  @Option(names = "--val-file", defaultValue = "val.jsonl")
  String valFile;

  @Option(
      names = "--conventional",
      description = "train the conventional baseline instead of B-cos")
  boolean conventional;

  @Option(
      names = "--b",
      defaultValue = "1.5",
      description = "B-cos alignment pressure B (default: ${DEFAULT-VALUE})")
  double b;

  @Option(
      names = "--lr",
      description = "peak learning rate (default: 1e-4 B-cos, 5e-5 conventional)")
  Double learningRate;

  @Option(names = "--epochs", defaultValue = "2")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "16")
  int batchSize;

  @Option(
      names = "--max-length",
      defaultValue = "64",
      description = "tokens per text incl. [CLS]/[SEP]")
  int maxLength;

  @Option(names = "--warmup", defaultValue = "0.1")
  double warmup;

  @Option(names = "--weight-decay", defaultValue = "0.01")
  double weightDecay;

  @Option(names = "--clip-norm", defaultValue = "1.0")
  double clipNorm;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(
      names = "--limit-train",
      defaultValue = "0",
      description = "use only the first N training texts")
  int limitTrain;

  @Option(
      names = "--limit-val",
      defaultValue = "0",
      description = "use only the first N validation texts")
  int limitVal;

  @Option(
      names = "--out",
      description = "bundle directory to create (default: ~/.candor/models/<name>)")
  Path out;

  @Option(names = "--force", description = "replace an existing bundle directory")
  boolean force;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Path dir = DataDirectory.dataset(DataDirectory.resolve(data), dataset);
    JsonlDataset train = JsonlDataset.read(dir.resolve(trainFile));
    JsonlDataset val = JsonlDataset.read(dir.resolve(valFile));
    List<String> labels = train.labelNames();
    double lr = learningRate != null ? learningRate : conventional ? 5e-5 : 1e-4;
    TrainingConfig config =
        new TrainingConfig(
            lr, epochs, batchSize, warmup, weightDecay, clipNorm, seed, 64, limitTrain, limitVal);
    String name = (conventional ? "conventional" : "bcos-b" + b) + "-minilm-" + dir.getFileName();
    Path target = out != null ? out : ModelHome.models().resolve(name);
    if (Files.exists(target)) {
      if (!force) {
        throw new IllegalArgumentException(target + " exists; pass --force to replace it or --out");
      }
      deleteRecursively(target);
    }
    err.printf(
        Locale.ROOT,
        "training %s on %s (%d train, %d validation texts), lr %.0e, %d epochs%n",
        conventional ? "conventional MiniLM" : "B-cos MiniLM (B=" + b + ")",
        dir,
        train.examples().size(),
        val.examples().size(),
        lr,
        epochs);
    try (CandorModel model =
        CandorModel.bundledMiniLm()
            .setLabels(labels)
            .optBcos(!conventional)
            .optB(b)
            .optMaxLength(maxLength)
            .optSeed(seed)
            .optDevice(device.choice().resolve())
            .build()) {
      FineTuner.Result result =
          new FineTuner(config, new BarListener(err, epochs))
              .train(model, train.examples(), val.examples());
      Map<String, Object> hyper = new LinkedHashMap<>(config.asMap());
      hyper.put("bcos", !conventional);
      hyper.put("b", b);
      hyper.put("max_length", maxLength);
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("best_epoch", result.bestEpoch());
      metrics.put("validation", result.bestValidation().asMap());
      metrics.put("train_texts_per_second", result.trainTextsPerSecond());
      metrics.put("history", result.history());
      ModelProvenance provenance =
          ModelProvenance.now(
              Invocation.of(spec),
              Lineage.base(MiniLmImporter.BASE_MODEL, null),
              hyper,
              List.of(train.provenance("train"), val.provenance("validation")));
      ModelBundle bundle =
          ModelBundle.write(
              target,
              model.config(),
              result.bestWeights(),
              model.tokenizerJson(),
              metrics,
              provenance);
      ClassificationMetrics m = result.bestValidation();
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "best epoch %d: validation accuracy %.4f, macro-F1 %.4f, AUROC %.4f%nbundle %s"
                  + " (version %s)%n",
              result.bestEpoch(),
              m.accuracy(),
              m.macroF1(),
              m.auroc(),
              target,
              bundle.version());
    }
    return 0;
  }

  static void deleteRecursively(Path p) throws java.io.IOException {
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  /** Draws the training progress bar and one line per epoch. */
  private static final class BarListener implements TrainingListener {
    private final PrintWriter err;
    private final int epochs;
    private ProgressBar bar;
    private int barEpoch;

    BarListener(PrintWriter err, int epochs) {
      this.err = err;
      this.epochs = epochs;
    }

    @Override
    public void onStep(int epoch, int step, int steps, double loss, double rate, double eta) {
      if (bar == null || barEpoch != epoch) {
        bar = new ProgressBar(err, "epoch " + epoch + "/" + epochs);
        barEpoch = epoch;
      }
      bar.update(
          step,
          steps,
          String.format(
              Locale.ROOT, "loss %.4f %.1f texts/s ETA %s", loss, rate, ProgressBar.duration(eta)),
          step == steps);
    }

    @Override
    public void onEpoch(int epoch, ClassificationMetrics v, boolean best) {
      err.printf(
          Locale.ROOT,
          "epoch %d validation: accuracy %.4f macro-F1 %.4f AUROC %.4f%s%n",
          epoch,
          v.accuracy(),
          v.macroF1(),
          v.auroc(),
          best ? " (best so far)" : "");
      err.flush();
    }
  }
}
