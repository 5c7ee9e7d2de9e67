package dev.candor.cli;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.data.DataDirectory;
import dev.candor.model.data.DataMix;
import dev.candor.model.data.IdentityTerms;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.train.ClassificationMetrics;
import dev.candor.model.train.EncoderRealignment;
import dev.candor.model.train.FineTuning;
import dev.candor.model.train.TeacherTargets;
import dev.candor.model.train.TrainedModel;
import dev.candor.model.train.TrainingConfig;
import dev.candor.model.train.TrainingData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fine-tunes a bundled encoder (MiniLM by default) or a local checkpoint, B-cos or conventional, on
 * a JSONL dataset into a bundle; the epoch with the best validation macro-F1 is kept.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Fine-tune a B-cos (default) or conventional encoder on train.jsonl/val.jsonl; the epoch"
            + " with the best validation macro-F1 is kept.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DeviceOption device;

  @Option(
      names = "--data",
      paramLabel = "DIR[=W][,DIR[=W]...]",
      description = {
        "datasets directory (default: $CANDOR_DATA or ../shared/data; without --dataset the"
            + " default mix is read from it: HateXplain and the functional training source of"
            + " `candor functional-data`, drawn under the candor home, without punctuation), or"
            + " several dataset"
            + " folders (each with train.jsonl and val.jsonl, dev.jsonl or trial.jsonl, or a"
            + " dataset name under the default"
            + " directory) with mixing weights, e.g. ../shared/data/hatexplain,"
            + "../shared/data/davidson=0.3: a weight multiplies a source's training rows"
            + " (0.3 = a seeded random 30 %%, 2 = every row twice; default 1). The first source's"
            + " validation split picks the best epoch; every source's is scored"
            + " (docs/training-data.md)."
      })
  String data;

  @Option(
      names = "--dataset",
      description =
          "one dataset folder name under a single --data directory, or a path, trained on alone"
              + " (e.g. hatexplain; default: the default mix, or hatexplain with --labels label3)")
  String dataset;

  @Option(
      names = "--identity-augment",
      defaultValue = "0",
      paramLabel = "SHARE",
      description =
          "add a counterfactual copy (one identity term swapped within its category, label"
              + " kept) of this seeded random share of the training texts that name an identity"
              + " (0..1, default ${DEFAULT-VALUE}: none)")
  double identityAugment;

  @Option(
      names = "--identity-lexicon",
      paramLabel = "FILE",
      description = "identity lexicon for --identity-augment (default: the bundled one)")
  Path identityLexicon;

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
      names = "--keep-labels",
      paramLabel = "SOURCE=CLASS[+CLASS]",
      split = ",",
      description =
          "train and validate on only these classes of a source (named by its folder), e.g."
              + " toxic_spans=toxic: Toxic Spans' 'no_span' rows are toxic comments without a"
              + " marked span, not normal ones (docs/training-data.md)")
  Map<String, String> keepLabels = new LinkedHashMap<>();

  @Option(
      names = "--as-class",
      paramLabel = "SOURCE=CLASS",
      split = ",",
      description =
          "every row of a source (named by its folder) is this class of the first source,"
              + " whatever its own label says, e.g. sst2=normal: movie-review sentences as benign"
              + " prose (docs/training-data.md)")
  Map<String, String> asClass = new LinkedHashMap<>();

  @Option(
      names = "--strip-punctuation",
      paramLabel = "SOURCE",
      split = ",",
      description =
          "remove ASCII punctuation (all but ' < >) from these sources' texts, named by folder:"
              + " HateXplain's texts have none, so punctuation in a source mixed in would become"
              + " evidence for its class (docs/training-data.md)")
  List<String> stripPunctuation = new ArrayList<>();

  @Option(
      names = "--base",
      defaultValue = "minilm",
      paramLabel = "minilm|bge-small|e5-small|DIR",
      description =
          "encoder to start from: the bundled all-MiniLM-L6-v2 (6 layers, default), bge-small"
              + " (BAAI/bge-small-en-v1.5) or e5-small (intfloat/e5-small-v2), both 12 layers"
              + " with hidden size 384, or a Hugging Face checkpoint directory")
  String base;

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

  @Option(
      names = "--epochs",
      defaultValue = "2",
      description =
          "passes over the training data (HateXplain at batch 16: 962 steps each, so 5 epochs ="
              + " 4,810 steps, above the paper's 4.3K convergence figure); the best epoch by"
              + " validation macro-F1 is kept (default: ${DEFAULT-VALUE})")
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
      names = "--teacher",
      paramLabel = "BUNDLE",
      description =
          "distil this model bundle (same classes; e.g. a --conventional one) into the model"
              + " trained: each text's target mixes its label with the teacher's probabilities"
              + " (--teacher-weight); the trained model keeps its own architecture, a B-cos one"
              + " stays exact (docs/model-results.md, distillation)")
  Path teacher;

  @Option(
      names = "--teacher-weight",
      defaultValue = "1.0",
      description =
          "with --teacher: the teacher's share of each target, in (0, 1]; 1 fits the teacher's"
              + " probabilities alone (default: ${DEFAULT-VALUE})")
  double teacherWeight;

  @Option(
      names = "--realign-epochs",
      paramLabel = "N",
      description =
          "B-cos only: before the task epochs, fit the converted encoder's last hidden states to"
              + " the conventional pre-trained encoder's (same --base) for N passes over the"
              + " training texts; the model stays B-cos and exact (default: 1 for B-cos, 0 turns"
              + " it off; it gained on HateXplain validation and the functional checks at three"
              + " seeds: docs/model-results.md, re-alignment)")
  Integer realignEpochs;

  @Option(
      names = "--realign-lr",
      paramLabel = "LR",
      defaultValue = "3e-4",
      description =
          "peak learning rate of the re-alignment (warm-up and decay as --warmup; default:"
              + " ${DEFAULT-VALUE})")
  double realignLearningRate;

  @Option(
      names = "--out",
      description = "bundle directory to create (default: ~/.candor/models/<name>)")
  Path out;

  @Option(names = "--force", description = "replace an existing bundle directory")
  boolean force;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (labelField.equals("label") && labelOrder != null) {
      throw new IllegalArgumentException(
          "--label-order needs a string --labels field, e.g. label3");
    }
    boolean defaultMix = dataset == null && labelField.equals("label") && datasetsDirectory();
    if (defaultMix) {
      data = DefaultTrainingMix.sources(DataDirectory.resolve(data == null ? null : Path.of(data)));
      DefaultTrainingMix.STRIP_PUNCTUATION.stream()
          .filter(x -> !stripPunctuation.contains(x))
          .forEach(stripPunctuation::add);
    }
    if (teacher == null
        && spec.commandLine().getParseResult().hasMatchedOption("--teacher-weight")) {
      throw new IllegalArgumentException("--teacher-weight needs --teacher");
    }
    checkRealignment();
    // checked and read (so verified) before the data and the base, so that a wrong teacher fails
    // at once
    ModelBundle teacherBundle = null;
    if (teacher != null) {
      TeacherTargets.checkWeight(teacherWeight);
      teacherBundle = ModelBundle.read(teacher);
    }
    List<TrainingData.Source> sources = sources();
    TrainingData mixed;
    try {
      mixed = TrainingData.mix(sources, seed);
    } catch (TrainingData.LabelMismatch e) {
      throw new IllegalArgumentException(
          e.getMessage() + " (--keep-labels SOURCE=CLASS trains on some classes of a source only)",
          e);
    }
    if (identityAugment > 0) {
      IdentityTerms lexicon =
          identityLexicon == null ? IdentityTerms.bundled() : IdentityTerms.read(identityLexicon);
      // a seed of its own, so that the augmentation draws do not repeat the mixing draws
      mixed = mixed.withIdentityAugmentation(identityAugment, seed + 7919, lexicon);
    }
    // the default mix keeps the name of the default model (ModelHome), HateXplain being the source
    // that picks the epoch; provenance.json lists every source
    String sourceNames =
        defaultMix
            ? DefaultTrainingMix.NAME
            : sources.stream().map(TrainingData.Source::name).collect(Collectors.joining("+"));
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
    String baseName =
        BaseModels.BUNDLED.contains(base) ? base : Path.of(base).getFileName().toString();
    String name =
        (conventional ? "conventional" : "bcos-b" + b)
            + "-"
            + baseName
            + "-"
            + sourceNames
            + (labelField.equals("label") ? "" : "-" + labelField);
    Path target = out != null ? out : ModelHome.models().resolve(name);
    BundleTarget.checkReplaceable(target, force);
    int trainTexts =
        limitTrain > 0 ? Math.min(limitTrain, mixed.train().size()) : mixed.train().size();
    long steps = (long) epochs * ((trainTexts + batchSize - 1) / batchSize);
    err.printf(
        Locale.ROOT,
        "training %s %s on %s, classes %s (%d train, %d validation texts), lr %.0e, %d epochs ≈"
            + " %,d steps%n",
        conventional ? "conventional" : "B-cos (B=" + b + ")",
        baseName,
        sources.size() == 1
            ? sources.get(0).train().file().getParent()
            : DataMix.format(
                sources.stream()
                    .map(x -> new DataMix.Entry(x.name(), x.weight()))
                    .collect(Collectors.toList())),
        labelNames(sources),
        mixed.train().size(),
        mixed.validation().size(),
        lr,
        epochs,
        steps);
    if (mixed.preparation().containsKey("identity_augmentation")) {
      err.println("identity augmentation: " + mixed.preparation().get("identity_augmentation"));
    }
    if (teacherBundle != null) {
      err.printf(
          Locale.ROOT,
          "distilling from %s (version %s), teacher weight %s%n",
          teacher,
          teacherBundle.version(),
          teacherWeight);
    }
    ConversionSpec spec0 =
        new ConversionSpec(!conventional, b, labelNames(sources), maxLength, seed);
    FineTuning.Builder tuning = FineTuning.builder().setBase(BaseModels.from(base, spec0));
    int passes = realignPasses();
    if (passes > 0) {
      err.printf(
          Locale.ROOT,
          "re-aligning the encoder to conventional %s first: %d pass(es), peak lr %.0e%n",
          baseName,
          passes,
          realignLearningRate);
      // the same encoder converted conventionally: the hidden states the B-cos one is fitted to
      ConversionSpec conventionalSpec =
          new ConversionSpec(false, 1.0, spec0.labels(), maxLength, seed);
      tuning.optRealignment(
          new EncoderRealignment(
              BaseModels.from(base, conventionalSpec), passes, realignLearningRate));
    }
    if (teacherBundle != null) {
      tuning.optTeacher(teacherBundle, teacherWeight);
    }
    TrainedModel trained =
        tuning
            .setConfig(config)
            .optListener(new TrainingProgress(err, epochs))
            .optCommand(
                Invocation.of(spec)
                    + (defaultMix
                        ? " [default mix: --data "
                            + data
                            + (keepLabels.isEmpty() ? "" : " --keep-labels " + joined(keepLabels))
                            + (asClass.isEmpty() ? "" : " --as-class " + joined(asClass))
                            + " --strip-punctuation "
                            + String.join(",", stripPunctuation)
                            + "]"
                        : ""))
            .optDevice(device.choice().resolve())
            .build()
            .run(mixed);
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
    if (!trained.result().bestOtherValidation().isEmpty()) {
      PrintWriter out = spec.commandLine().getOut();
      printSource(out, sources.get(0).name(), m);
      trained.result().bestOtherValidation().forEach((k, v) -> printSource(out, k, v));
    }
    return 0;
  }

  /** Passes of re-alignment: as asked, else one for B-cos and none for conventional. */
  private int realignPasses() {
    return realignEpochs != null ? realignEpochs : conventional ? 0 : 1;
  }

  /** The re-alignment options' own errors, before any data or weights are read. */
  private void checkRealignment() {
    if (realignEpochs != null && realignEpochs < 0) {
      throw new IllegalArgumentException(
          "--realign-epochs must be 0 (none) or more, was " + realignEpochs);
    }
    if (realignEpochs != null && realignEpochs > 0 && conventional) {
      throw new IllegalArgumentException(
          "--realign-epochs is for B-cos models: a --conventional one starts where the"
              + " re-alignment target is");
    }
    if (realignPasses() == 0
        && spec.commandLine().getParseResult().hasMatchedOption("--realign-lr")) {
      throw new IllegalArgumentException(
          "--realign-lr needs re-alignment: a B-cos model and --realign-epochs N ≥ 1");
    }
    if (realignPasses() > 0 && !(realignLearningRate > 0 && realignLearningRate < 1)) {
      throw new IllegalArgumentException(
          "--realign-lr must be in (0, 1), was " + realignLearningRate);
    }
  }

  private static String joined(Map<String, String> bySource) {
    return bySource.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private static void printSource(PrintWriter out, String name, ClassificationMetrics m) {
    out.printf(
        Locale.ROOT,
        "  validation on %-12s n %5d  accuracy %.4f  macro-F1 %.4f  AUROC %.4f%n",
        name,
        m.n(),
        m.accuracy(),
        m.macroF1(),
        m.auroc());
  }

  /** The label names of the mix: the longest list, names over bare indices. */
  private static List<String> labelNames(List<TrainingData.Source> sources) {
    List<String> out = new ArrayList<>();
    for (TrainingData.Source s : sources) {
      List<String> names = s.train().labelNames();
      for (int c = 0; c < names.size(); c++) {
        if (c >= out.size()) {
          out.add(names.get(c));
        } else if (out.get(c).equals(String.valueOf(c))) {
          out.set(c, names.get(c));
        }
      }
    }
    return out;
  }

  /**
   * The sources of {@code --data}: one directory as before (a datasets directory with {@code
   * --dataset}, or a dataset folder), or several dataset folders or names with weights.
   */
  List<TrainingData.Source> sources() throws IOException {
    String dataset = this.dataset != null ? this.dataset : DefaultTrainingMix.NAME;
    List<DataMix.Entry> entries =
        data == null ? List.of(new DataMix.Entry(dataset, 1.0)) : DataMix.parse(data);
    List<TrainingData.Source> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (DataMix.Entry e : entries) {
      Path p = Path.of(e.location());
      Path dir;
      if (data == null) {
        dir = DataDirectory.dataset(DataDirectory.resolve(null), dataset);
      } else if (Files.isRegularFile(p.resolve(trainFile))) {
        dir = p;
      } else if (entries.size() == 1
          && (Files.exists(p) || e.location().contains(p.getFileSystem().getSeparator()))) {
        // one location that is a path: a datasets directory and --dataset, as before mixes
        dir = DataDirectory.dataset(DataDirectory.resolve(p), dataset);
      } else {
        try {
          dir = DataDirectory.dataset(DataDirectory.resolve(null), e.location());
        } catch (IllegalArgumentException notFound) {
          throw new IllegalArgumentException(
              "data source '"
                  + e.location()
                  + "' is neither a folder with "
                  + trainFile
                  + " nor a dataset name under the data directory ("
                  + notFound.getMessage()
                  + ")");
        }
      }
      String name = dir.toAbsolutePath().normalize().getFileName().toString();
      for (int i = 2; !names.add(name); i++) {
        name = dir.getFileName() + "-" + i;
      }
      out.add(
          new TrainingData.Source(
              name,
              JsonlDataset.read(dir.resolve(trainFile)),
              JsonlDataset.read(validationFile(dir)),
              e.weight()));
    }
    if (!labelField.equals("label")) {
      out = relabelled(out);
    }
    return withoutPunctuation(keptLabels(inOneClass(out)));
  }

  /**
   * Whether {@code --data} names a datasets directory (or nothing: the default one) rather than
   * dataset folders, so that without {@code --dataset} the default mix is read from it.
   */
  private boolean datasetsDirectory() {
    if (data == null) {
      return true;
    }
    List<DataMix.Entry> entries = DataMix.parse(data);
    if (entries.size() != 1 || entries.get(0).weight() != 1.0) {
      return false;
    }
    Path p = Path.of(entries.get(0).location());
    return Files.isDirectory(p) && !Files.isRegularFile(p.resolve(trainFile));
  }

  /** The sources with every row of those {@code --as-class} names in the class it gives. */
  private List<TrainingData.Source> inOneClass(List<TrainingData.Source> sources) {
    List<String> classes = sources.get(0).train().labelNames();
    if (asClass.containsKey(sources.get(0).name())) {
      throw new IllegalArgumentException(
          "--as-class cannot name the first source of --data ("
              + sources.get(0).name()
              + "): its validation split picks the best epoch");
    }
    return perSource(
        sources,
        asClass,
        "--as-class",
        (x, name) -> {
          int index = classes.indexOf(name);
          if (index < 0) {
            throw new IllegalArgumentException(
                "--as-class "
                    + x.name()
                    + "="
                    + name
                    + ": the first source's classes are "
                    + classes);
          }
          return new TrainingData.Source(
              x.name(),
              x.train().asClass(index, name),
              x.validation().asClass(index, name),
              x.weight());
        });
  }

  /**
   * The sources, each one that {@code bySource} names (by folder) changed by {@code change} with
   * its value; a name that is no source of the mix is an error naming {@code option}.
   */
  private static List<TrainingData.Source> perSource(
      List<TrainingData.Source> sources,
      Map<String, String> bySource,
      String option,
      BiFunction<TrainingData.Source, String, TrainingData.Source> change) {
    Set<String> unknown = new HashSet<>(bySource.keySet());
    List<TrainingData.Source> out = new ArrayList<>();
    for (TrainingData.Source x : sources) {
      String value = bySource.get(x.name());
      unknown.remove(x.name());
      out.add(value == null ? x : change.apply(x, value));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          option
              + " names no source of --data: "
              + unknown
              + " (sources: "
              + sources.stream().map(TrainingData.Source::name).toList()
              + ")");
    }
    return out;
  }

  /**
   * A source's validation split: {@code --val-file}, else (for a folder without one) {@code
   * dev.jsonl} or {@code trial.jsonl}, the names of the development split in other shared tasks
   * (Toxic Spans ships {@code trial.jsonl}).
   */
  private Path validationFile(Path dir) {
    for (String name : List.of(valFile, "dev.jsonl", "trial.jsonl")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    return dir.resolve(valFile); // read() names it as missing
  }

  /** The sources with the punctuation of those {@code --strip-punctuation} names removed. */
  private List<TrainingData.Source> withoutPunctuation(List<TrainingData.Source> sources) {
    Map<String, String> named = new LinkedHashMap<>();
    stripPunctuation.forEach(name -> named.put(name, name));
    return perSource(
        sources,
        named,
        "--strip-punctuation",
        (x, name) ->
            new TrainingData.Source(
                x.name(),
                x.train().withoutPunctuation(),
                x.validation().withoutPunctuation(),
                x.weight()));
  }

  /** The sources with only the classes {@code --keep-labels} names, in train and validation. */
  private List<TrainingData.Source> keptLabels(List<TrainingData.Source> sources) {
    return perSource(
        sources,
        keepLabels,
        "--keep-labels",
        (x, keep) -> {
          List<String> classes = List.of(keep.split("\\+"));
          return new TrainingData.Source(
              x.name(),
              x.train().keepLabels(classes),
              x.validation().keepLabels(classes),
              x.weight());
        });
  }

  /** Every source with its classes from the string field {@code --labels} (e.g. label3). */
  private List<TrainingData.Source> relabelled(List<TrainingData.Source> out) {
    // a string --labels field (e.g. label3): every source takes its classes from that field
    List<String> classes =
        labelOrder != null ? labelOrder : out.get(0).train().fieldValues(labelField);
    List<TrainingData.Source> relabelled = new ArrayList<>();
    for (TrainingData.Source x : out) {
      if (asClass.containsKey(x.name())) {
        relabelled.add(x); // put in one class next, whatever fields it has
        continue;
      }
      relabelled.add(
          new TrainingData.Source(
              x.name(),
              x.train().withLabels(labelField, classes),
              x.validation().withLabels(labelField, classes),
              x.weight()));
    }
    return relabelled;
  }
}
