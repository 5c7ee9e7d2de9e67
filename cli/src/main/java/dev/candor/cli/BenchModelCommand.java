package dev.candor.cli;

import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Explainer;
import dev.candor.model.tokenize.SubBatchPlanner;
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

  @Option(
      names = "--process-runs",
      defaultValue = "3",
      description =
          "child JVMs per process setting (glibc malloc defaults vs tuned, see --thread-variants),"
              + " each a short training run; 0 skips the comparison (default: ${DEFAULT-VALUE})")
  int processRuns;

  @Option(
      names = "--process-steps",
      defaultValue = "10",
      description = "training steps (batch 16) of each child JVM (default: ${DEFAULT-VALUE})")
  int processSteps;

  @Option(
      names = "--thread-variants",
      description =
          "also compare OMP_WAIT_POLICY=ACTIVE and one intra-op thread (each with tuned malloc)")
  boolean threadVariants;

  @Option(
      names = "--calibrate-sub-batching",
      description =
          "also time explain on a grid of batch sizes and widths and fit the sub-batching cost"
              + " model's per-batch overhead (in padded tokens)")
  boolean calibrate;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    BenchTexts texts = textOptions.load();
    // First, while this JVM holds no model: the child JVMs then compete with nothing of ours.
    List<String> processLines =
        processRuns > 0
            ? new ProcessSettingsBench(processRuns, processSteps, maxLength, threadVariants)
                .run(texts.texts(), err)
            : List.of();
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
      report.add("Load average (1/5/15 min) before: " + MachineInfo.loadAverage());
      report.add("");
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
      report.add("Load average (1/5/15 min) after: " + MachineInfo.loadAverage());
      report.add("");
      report.add(subBatching(m, texts.texts(), err));
      if (calibrate) {
        report.add("");
        report.addAll(calibrate(m, explainer, err));
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
      report.add("Load average (1/5/15 min) after the training runs: " + MachineInfo.loadAverage());
    }
    if (!processLines.isEmpty()) {
      report.add("");
      report.addAll(processLines);
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

  /**
   * Explained texts/s over consecutive 32-text windows of the corpus (what a stream flush sees),
   * sub-batching on vs off, alternating, {@link #repeats} rounds.
   */
  private String subBatching(CandorModel m, List<String> texts, PrintWriter err) {
    int bs = 32;
    int windows = Math.max(1, textsPerRepeat / bs);
    double[] on = new double[repeats];
    double[] off = new double[repeats];
    double[] ratio = new double[repeats];
    try (Explainer split = new Explainer(m, SubBatchPlanner.auto(), bs);
        Explainer whole = new Explainer(m, SubBatchPlanner.off(), bs)) {
      for (int r = -1; r < repeats; r++) {
        double a = windowRate(texts, bs, windows, r, whole);
        double b = windowRate(texts, bs, windows, r, split);
        if (r >= 0) {
          off[r] = a;
          on[r] = b;
          ratio[r] = b / a;
        }
        err.printf(Locale.ROOT, "\rsub-batching: repeat %d/%d", r + 1, repeats);
        err.flush();
      }
      err.println();
    }
    Stats a = Stats.of(off);
    Stats b = Stats.of(on);
    Stats q = Stats.of(ratio);
    return String.format(
        Locale.ROOT,
        "Sub-batching (explain, windows of %d consecutive texts as a stream flush gets them, %s):"
            + " off %.1f texts/s (min–max %.1f–%.1f), on %.1f texts/s (min–max %.1f–%.1f), on/off"
            + " **%.2f×** (min–max %.2f–%.2f, n=%d). Load average after: %s.",
        bs,
        SubBatchPlanner.auto(),
        a.median(),
        a.min(),
        a.max(),
        b.median(),
        b.min(),
        b.max(),
        q.median(),
        q.min(),
        q.max(),
        q.n(),
        MachineInfo.loadAverage());
  }

  /**
   * Times explain for texts of exactly {@code w} tokens in batches of {@code n} (best of 3 after a
   * warm-up) and fits {@code t = a + b · n · w · (1 + w / attentionTokens)} by least squares
   * weighted by 1/t; the per-batch overhead in padded tokens is {@code a / b}.
   */
  private List<String> calibrate(CandorModel m, Explainer explainer, PrintWriter err) {
    int[] ns = {1, 4, 16};
    int[] ws = {16, 32, 64};
    List<String> lines = new ArrayList<>();
    lines.add(
        "Sub-batching cost model calibration (explain, texts of exactly w tokens, best of 3 ms):");
    lines.add("");
    lines.add(
        "| n \\ w | "
            + java.util.Arrays.toString(ws).replaceAll("[\\[\\]]", "").replace(", ", " | ")
            + " |");
    lines.add("|---|---|---|---|");
    double sxx = 0, sx = 0, s1 = 0, sy = 0, sxy = 0;
    double attention = SubBatchPlanner.DEFAULT_ATTENTION_TOKENS;
    for (int n : ns) {
      StringBuilder row = new StringBuilder("| " + n + " |");
      for (int w : ws) {
        List<TokenizedText> batch = new ArrayList<>();
        TokenizedText t = m.tokenizer().encode("hello " + "word ".repeat(Math.max(0, w - 3)));
        if (t.length() != w) {
          throw new IllegalStateException(
              "calibration text has " + t.length() + " tokens, not " + w);
        }
        for (int i = 0; i < n; i++) {
          batch.add(t);
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 4; r++) {
          long t0 = System.nanoTime();
          explainer.explainTokenized(batch, null);
          double ms = (System.nanoTime() - t0) / 1e6;
          if (r > 0) {
            best = Math.min(best, ms);
          }
        }
        row.append(String.format(Locale.ROOT, " %.1f |", best));
        double x = n * w * (1 + w / attention);
        double wt = 1 / (best * best); // relative errors
        s1 += wt;
        sx += wt * x;
        sxx += wt * x * x;
        sy += wt * best;
        sxy += wt * x * best;
        err.printf(Locale.ROOT, "\rcalibration: n=%d w=%d", n, w);
        err.flush();
      }
      lines.add(row.toString());
    }
    err.println();
    double b = (s1 * sxy - sx * sy) / (s1 * sxx - sx * sx);
    double a = (sy - b * sx) / s1;
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "Fit t = a + b·n·w·(1 + w/%.0f): a = %.1f ms per batch, b = %.3f ms per padded token,"
                + " overhead **%.0f tokens** (the planner's default: %.0f). Load average after:"
                + " %s.",
            attention,
            a,
            b,
            a / b,
            SubBatchPlanner.DEFAULT_OVERHEAD_TOKENS,
            MachineInfo.loadAverage()));
    return lines;
  }

  private static double windowRate(
      List<String> texts, int bs, int windows, int round, Explainer explainer) {
    long start = System.nanoTime();
    int n = 0;
    for (int w = 0; w < windows; w++) {
      int from = Math.floorMod((round + 1) * 7 * bs + w * bs, Math.max(1, texts.size() - bs + 1));
      List<String> window = new ArrayList<>(bs);
      for (int i = 0; i < bs; i++) {
        window.add(texts.get((from + i) % texts.size()));
      }
      explainer.explain(window);
      n += bs;
    }
    return n / ((System.nanoTime() - start) / 1e9);
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
