package dev.candor.cli;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.data.DataDirectory;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.train.ClassificationMetrics;
import dev.candor.model.train.FineTuning;
import dev.candor.model.train.TrainedModel;
import dev.candor.model.train.TrainingConfig;
import dev.candor.model.train.TrainingData;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
      names = "--labels",
      defaultValue = "label",
      description =
          "the field that gives each row's class: label (default; HateXplain: normal / toxic) or"
              + " a string field such as label3 (HateXplain: normal / offensive / hatespeech)")
  String labelField;

  @Option(
      names = "--label-order",
      split = ",",
      description =
          "class names in index order for a string --labels field (default: normal,offensive,"
              + "hatespeech for those three names, else alphabetical)")
  List<String> labelOrder;

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
    if (labelField.equals("label") && labelOrder != null) {
      throw new IllegalArgumentException(
          "--label-order needs a string --labels field, e.g. label3");
    }
    if (!labelField.equals("label")) {
      List<String> names = labelOrder != null ? labelOrder : train.fieldValues(labelField);
      train = train.withLabels(labelField, names);
      val = val.withLabels(labelField, names);
    }
    double lr = learningRate != null ? learningRate : conventional ? 5e-5 : 1e-4;
    TrainingConfig config =
        TrainingConfig.builder()
            .setLearningRate(lr)
            .optEpochs(epochs)
            .optBatchSize(batchSize)
            .optWarmupFraction(warmup)
            .optWeightDecay(weightDecay)
            .optClipNorm(clipNorm)
            .optSeed(seed)
            .optLimitTrain(limitTrain)
            .optLimitValidation(limitVal)
            .build();
    String name =
        (conventional ? "conventional" : "bcos-b" + b)
            + "-minilm-"
            + dir.getFileName()
            + (labelField.equals("label") ? "" : "-" + labelField);
    Path target = out != null ? out : ModelHome.models().resolve(name);
    if (Files.exists(target) && !force) {
      throw new IllegalArgumentException(target + " exists; pass --force to replace it or --out");
    }
    if (Files.exists(target) && !Files.isRegularFile(target.resolve(ModelBundle.MANIFEST))) {
      // checked before training, so that a mistyped --out fails in a second, not after the run
      throw new IllegalArgumentException(
          target + " is not a model bundle; --force replaces bundles only");
    }
    err.printf(
        Locale.ROOT,
        "training %s on %s, classes %s (%d train, %d validation texts), lr %.0e, %d epochs%n",
        conventional ? "conventional MiniLM" : "B-cos MiniLM (B=" + b + ")",
        dir,
        train.labelNames(),
        train.examples().size(),
        val.examples().size(),
        lr,
        epochs);
    ConversionSpec base = new ConversionSpec(!conventional, b, train.labelNames(), maxLength, seed);
    TrainedModel trained =
        FineTuning.builder()
            .setBase(BaseModels.bundledMiniLm(base))
            .setConfig(config)
            .optListener(new TrainingProgress(err, epochs))
            .optCommand(Invocation.of(spec))
            .optDevice(device.choice().resolve())
            .build()
            .run(TrainingData.of(train, val));
    // the old bundle is deleted only after training succeeded, so a failed run loses nothing
    ModelBundle.delete(target);
    ModelBundle bundle = trained.writeBundle(target);
    ClassificationMetrics m = trained.bestValidation();
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "best epoch %d: validation accuracy %.4f, macro-F1 %.4f, AUROC %.4f%nbundle %s"
                + " (version %s)%n",
            trained.result().bestEpoch(),
            m.accuracy(),
            m.macroF1(),
            m.auroc(),
            target,
            bundle.version());
    if (trained.config().numLabels() > 2) {
      MetricsTable.print(spec.commandLine().getOut(), m, trained.config().labels());
    }
    return 0;
  }
}
