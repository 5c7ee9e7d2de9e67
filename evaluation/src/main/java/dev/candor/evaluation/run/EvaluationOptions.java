package dev.candor.evaluation.run;

import dev.candor.evaluation.MaskingProtocol;
import dev.candor.model.DeviceChoice;
import java.nio.file.Path;
import java.util.List;

/**
 * What an {@link EvaluationRun} measures.
 *
 * @param bundles model bundle directories, one report block each
 * @param sweepBundles further B-cos bundles evaluated with the {@code bcos} explainer only (the B
 *     sweep: the costly post-hoc baselines are not repeated for each B)
 * @param dataset labelled JSONL (HateXplain fields {@code tokens}, {@code rationale}, {@code
 *     targets} are used when present)
 * @param spansFile Toxic Spans JSONL ({@code spans}: [start, end) code-point offsets) for a second
 *     plausibility score of the toxic-class explanation; null for none
 * @param explainers explainer names (see {@code Explainers.NAMES})
 * @param igSteps Integrated Gradients steps
 * @param shapleySamples permutations per text for Shapley value sampling
 * @param limit evaluate a seeded random sample of this many rows (0: all), and as many Toxic Spans
 *     rows
 * @param seed drives the sample, SeqPG pairing and Shapley permutations
 * @param protocol Comp/Suff erasure fractions
 * @param seqPgPairs at most this many SeqPG pairs per model
 * @param seqPgContent word-pieces kept from each text of a SeqPG pair
 * @param seqPgConfidence least predicted-class probability for a text to enter SeqPG
 * @param batchSize texts per explainer call
 * @param device where the models run
 * @param commandLine recorded in the report's provenance
 */
public record EvaluationOptions(
    List<Path> bundles,
    List<Path> sweepBundles,
    Path dataset,
    Path spansFile,
    List<String> explainers,
    int igSteps,
    int shapleySamples,
    int limit,
    long seed,
    MaskingProtocol protocol,
    int seqPgPairs,
    int seqPgContent,
    double seqPgConfidence,
    int batchSize,
    DeviceChoice device,
    String commandLine) {

  public EvaluationOptions {
    if (bundles == null || bundles.isEmpty()) {
      throw new IllegalArgumentException("at least one model bundle is required");
    }
    if (explainers == null || explainers.isEmpty()) {
      throw new IllegalArgumentException("at least one explainer is required");
    }
    bundles = List.copyOf(bundles);
    sweepBundles = sweepBundles == null ? List.of() : List.copyOf(sweepBundles);
    explainers = List.copyOf(explainers);
  }

  /** The defaults of {@code candor evaluate --report}. */
  public static EvaluationOptions defaults(
      List<Path> bundles, Path dataset, List<String> explainers) {
    return new EvaluationOptions(
        bundles,
        List.of(),
        dataset,
        null,
        explainers,
        50,
        10,
        0,
        13L,
        MaskingProtocol.paperDeciles(),
        25,
        25,
        0.5,
        16,
        DeviceChoice.AUTO,
        null);
  }
}
