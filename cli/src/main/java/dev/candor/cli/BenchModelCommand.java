package dev.candor.cli;

import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Explainer;
import dev.candor.model.tokenize.TokenizedText;
import dev.candor.model.train.FineTuner;
import dev.candor.model.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Forward-only vs explained cost per text, and training throughput, measured in one run. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description =
        "Time forward-only and explain (forward+backward) per text for several batch"
            + " sizes, their ratio, and training texts/s.")
final class BenchModelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DeviceOption device;

  @Option(
      names = {"-m", "--model"},
      description =
          "bundle to time (default: the B-cos MiniLM as converted, untrained head;"
              + " cost does not depend on the weights' values)")
  Path model;

  @Mixin BenchTextOptions textOptions;

  @Option(names = "--batch-sizes", defaultValue = "1,8,32", split = ",")
  List<Integer> batchSizes;

  @Option(names = "--repeats", defaultValue = "7")
  int repeats;

  @Option(names = "--texts-per-repeat", defaultValue = "64")
  int textsPerRepeat;

  @Option(names = "--max-length", defaultValue = "64")
  int maxLength;

  @Option(
      names = "--train-steps",
      defaultValue = "20",
      description = "optimisation steps (batch 16) for the training throughput; 0 skips it")
  int trainSteps;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    BenchTexts texts = textOptions.load();
    List<String> report = new ArrayList<>();
    String modelName;
    try (CandorModel m =
            model != null ? CandorModel.load(model, device.choice()) : untrainedMiniLm();
        Explainer explainer = new Explainer(m)) {
      modelName = m.version() + " — " + m.config().describe();
      List<TokenizedText> tok = new ArrayList<>();
      for (String t : texts.texts()) {
        tok.add(m.tokenizer().encode(t));
      }
      double meanTokens = tok.stream().mapToInt(TokenizedText::length).average().orElse(0);
      report.add("| batch | forward ms/text | explain ms/text | explain / forward |");
      report.add("|---|---|---|---|");
      for (int bs : batchSizes) {
        int batchesPerRepeat = Math.max(1, textsPerRepeat / bs);
        double[] fwd = new double[repeats];
        double[] exp = new double[repeats];
        double[] ratio = new double[repeats];
        // one warm-up round, then forward and explain alternate so drift hits both alike
        for (int r = -1; r < repeats; r++) {
          double f = time(tok, bs, batchesPerRepeat, r, false, explainer);
          double e = time(tok, bs, batchesPerRepeat, r, true, explainer);
          if (r >= 0) {
            fwd[r] = f;
            exp[r] = e;
            ratio[r] = e / f;
          }
          err.printf(Locale.ROOT, "\rbatch %d: repeat %d/%d", bs, r + 1, repeats);
          err.flush();
        }
        err.println();
        Stats fs = Stats.of(fwd);
        Stats es = Stats.of(exp);
        Stats rs = Stats.of(ratio);
        report.add(
            String.format(
                Locale.ROOT,
                "| %d | %.2f (IQR %.2f–%.2f) | %.2f (IQR %.2f–%.2f) | **%.2f×** (IQR %.2f–%.2f) |",
                bs,
                fs.median(),
                fs.p25(),
                fs.p75(),
                es.median(),
                es.p25(),
                es.p75(),
                rs.median(),
                rs.p25(),
                rs.p75()));
      }
      report.add("");
      report.add(
          String.format(
              Locale.ROOT,
              "Texts: %d %s, mean %.1f tokens incl. specials, max length %d; %d repeats of ~%d"
                  + " texts per batch size after one warm-up; explain = one forward + one backward"
                  + " to the embeddings in explanation mode.",
              texts.texts().size(),
              texts.source(),
              meanTokens,
              maxLength,
              repeats,
              textsPerRepeat));
    }
    if (trainSteps > 0) {
      report.add("");
      report.add(trainingThroughput(err, texts.texts()));
    }
    String md =
        "## Model cost (`candor bench model`)\n\n"
            + "Run "
            + Instant.now()
            + " on: "
            + MachineInfo.describe()
            + "  \n"
            + "Model: "
            + modelName
            + "  \n"
            + "Command: `"
            + Invocation.of(spec)
            + "`\n\n"
            + String.join("\n", report)
            + "\n";
    BenchmarkDoc.writeSection(out, "model", md);
    spec.commandLine().getOut().println(md);
    spec.commandLine().getOut().println("written to " + out.toAbsolutePath());
    return 0;
  }

  private String trainingThroughput(PrintWriter err, List<String> texts) {
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < trainSteps * 16; i++) {
      rows.add(new Example(String.valueOf(i), texts.get(i % texts.size()), i % 2, null));
    }
    double[] rates = new double[3];
    for (int r = 0; r < rates.length; r++) {
      try (CandorModel fresh = untrainedMiniLm()) {
        TrainingConfig c =
            TrainingConfig.builder()
                .setLearningRate(1e-4)
                .optEpochs(1)
                .optSeed(42 + r)
                .optLimitValidation(16)
                .build();
        rates[r] =
            new FineTuner(c, null).train(fresh, rows, rows.subList(0, 16)).trainTextsPerSecond();
      }
      err.printf(Locale.ROOT, "\rtraining throughput: run %d/%d", r + 1, rates.length);
      err.flush();
    }
    err.println();
    return "Training (B-cos, batch 16, AdamW, "
        + trainSteps
        + " steps per run, 3 runs): "
        + Stats.of(rates).format("texts/s");
  }

  private double time(
      List<TokenizedText> tok,
      int bs,
      int batches,
      int round,
      boolean explain,
      Explainer explainer) {
    long start = System.nanoTime();
    int texts = 0;
    for (int b = 0; b < batches; b++) {
      List<TokenizedText> batch = new ArrayList<>(bs);
      for (int i = 0; i < bs; i++) {
        batch.add(tok.get(Math.floorMod((round + 1) * 997 + b * bs + i, tok.size())));
      }
      if (explain) {
        explainer.explainTokenized(batch, null);
      } else {
        explainer.predictTokenized(batch);
      }
      texts += bs;
    }
    return (System.nanoTime() - start) / 1e6 / texts;
  }

  /** The bundled MiniLM with a fresh head: what the benchmark measures when no bundle is given. */
  private CandorModel untrainedMiniLm() {
    ConversionSpec spec =
        ConversionSpec.builder()
            .setLabels(List.of("normal", "toxic"))
            .optMaxLength(maxLength)
            .build();
    return BaseModels.bundledMiniLm(spec)
        .toModel("bcos-minilm-untrained", device.choice().resolve(), DataType.FLOAT32);
  }
}
