package dev.candor.cli;

import dev.candor.evaluation.MaskingProtocol;
import dev.candor.evaluation.Report;
import dev.candor.evaluation.ReportWriter;
import dev.candor.evaluation.posthoc.Explainers;
import dev.candor.evaluation.run.EvaluationOptions;
import dev.candor.evaluation.run.EvaluationRun;
import dev.candor.model.DeviceChoice;
import dev.candor.model.explain.ExplanationTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code candor evaluate --report} options: compare models and explainers, write
 * docs/evaluation.*.
 */
final class ReportOptions {
  @Option(
      names = "--report",
      description = "write the explanation-quality report (<out>/evaluation.md and .json)")
  boolean report;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "DIR",
      description = "bundles to compare in the report (default: --model)")
  List<Path> models;

  @Option(
      names = "--sweep-models",
      split = ",",
      paramLabel = "DIR",
      description =
          "further B-cos bundles (e.g. one per B) evaluated with the bcos explainer only,"
              + " for the B sweep")
  List<Path> sweepModels;

  @Option(
      names = "--explainers",
      split = ",",
      paramLabel = "NAME",
      defaultValue =
          "bcos,saliency,ixg,ig,occlusion-pad,lime,shapley,attention,rollout,random,occlusion",
      description =
          "explainers in the report (default: ${DEFAULT-VALUE}); bcos is skipped for"
              + " conventional models; occlusion ([MASK], softmax) is the metric-aligned upper"
              + " reference and random the floor")
  List<String> explainers;

  @Option(
      names = "--targets",
      split = ",",
      paramLabel = "logit|relative",
      defaultValue = "logit",
      description =
          "explanation targets of bcos, saliency, ixg, ig and occlusion-pad, each reported as its"
              + " own row (default: ${DEFAULT-VALUE}; e.g. logit,relative)")
  List<String> targets;

  @Option(
      names = "--lime-samples",
      defaultValue = "500",
      description =
          "perturbed samples per text for LIME (default: ${DEFAULT-VALUE}; the lime package"
              + " uses 5000)")
  int limeSamples;

  @Option(names = "--ig-steps", defaultValue = "50", description = "Integrated Gradients steps")
  int igSteps;

  @Option(
      names = "--shapley-samples",
      defaultValue = "10",
      description = "permutations per text for Shapley value sampling")
  int shapleySamples;

  @Option(
      names = "--seed",
      defaultValue = "13",
      description = "seed of the --limit sample, SeqPG pairing and Shapley permutations")
  long seed;

  @Option(
      names = "--protocol",
      defaultValue = "deciles",
      paramLabel = "deciles|eraser",
      description =
          "Comp/Suff erasure fractions: deciles (paper, 10..90%%) or eraser (1,5,10,20,50%%)")
  String protocol;

  @Option(
      names = "--seqpg-pairs",
      defaultValue = "25",
      description = "at most this many SeqPG pairs per model (each costs two explanations)")
  int seqPgPairs;

  @Option(
      names = "--spans-file",
      paramLabel = "PATH",
      description =
          "Toxic Spans JSONL (e.g. ../shared/data/toxic_spans/trial.jsonl): also score the"
              + " toxic-class explanation against its spans on up to --limit rows with spans"
              + " (default: none)")
  Path spansFile;

  @Option(names = "--out", defaultValue = "docs", description = "report directory (default: docs)")
  Path out;

  @Option(
      names = "--note",
      paramLabel = "TEXT",
      description =
          "a line added to the report's notes (repeatable), e.g. where a companion report lies")
  List<String> notes = List.of();

  MaskingProtocol maskingProtocol() {
    return switch (protocol.toLowerCase(Locale.ROOT)) {
      case "deciles", "paper", "paper-deciles" -> MaskingProtocol.paperDeciles();
      case "eraser", "eraser-bins" -> MaskingProtocol.eraserBins();
      default ->
          throw new IllegalArgumentException(
              "--protocol must be deciles or eraser (was '" + protocol + "')");
    };
  }

  /** Runs the evaluation and writes the report; returns the files written, Markdown first. */
  List<Path> write(
      List<Path> bundles,
      Path dataset,
      int limit,
      DeviceChoice device,
      String commandLine,
      PrintWriter err)
      throws IOException {
    for (String n : notes) {
      if (n.isBlank() || n.contains("\n") || n.contains("\r")) {
        throw new IllegalArgumentException("--note must be one non-blank line");
      }
    }
    for (String e : explainers) {
      Explainers.create(e, igSteps, shapleySamples, seed)
          .close(); // fail on a bad name before loading
    }
    EvaluationOptions o =
        EvaluationOptions.builder()
            .setBundles(bundles)
            .optSweepBundles(sweepModels)
            .setDataset(dataset)
            .optSpansFile(spansFile)
            .setExplainers(explainers)
            .optIgSteps(igSteps)
            .optShapleySamples(shapleySamples)
            .optLimeSamples(limeSamples)
            .optTargets(targets.stream().map(ExplanationTarget::parse).toList())
            .optLimit(limit)
            .optSeed(seed)
            .optProtocol(maskingProtocol())
            .optSeqPgPairs(seqPgPairs)
            .optDevice(device)
            .optCommandLine(commandLine)
            .build();
    Report r =
        EvaluationRun.run(
            o,
            line -> {
              err.println(line);
              err.flush();
            });
    return ReportWriter.write(r.withNotes(notes), out, "evaluation");
  }
}
