package dev.candor.evaluation.run;

import dev.candor.evaluation.MaskingProtocol;
import dev.candor.model.DeviceChoice;
import dev.candor.model.explain.ExplanationTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link EvaluationRun} measures. Build with {@link #builder()}.
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
 * @param limeSamples perturbed samples per text for LIME
 * @param targets explanation targets; target-dependent explainers run once per target
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
    int limeSamples,
    List<ExplanationTarget> targets,
    int limit,
    long seed,
    MaskingProtocol protocol,
    int seqPgPairs,
    int seqPgContent,
    double seqPgConfidence,
    int batchSize,
    DeviceChoice device,
    String commandLine) {

  /** Validates; {@link Builder#build()} ends here. */
  public EvaluationOptions {
    if (bundles == null || bundles.isEmpty()) {
      throw new IllegalArgumentException("at least one model bundle is required");
    }
    if (explainers == null || explainers.isEmpty()) {
      throw new IllegalArgumentException("at least one explainer is required");
    }
    Objects.requireNonNull(dataset, "dataset cannot be null");
    Objects.requireNonNull(protocol, "protocol cannot be null");
    Objects.requireNonNull(device, "device cannot be null");
    check(igSteps > 0, "igSteps", igSteps);
    check(shapleySamples > 0, "shapleySamples", shapleySamples);
    check(limeSamples >= 2, "limeSamples", limeSamples);
    check(
        targets != null
            && !targets.isEmpty()
            && targets.stream().noneMatch(Objects::isNull)
            && targets.stream().distinct().count() == targets.size(),
        "targets",
        targets);
    check(limit >= 0, "limit", limit);
    check(seqPgPairs >= 0, "seqPgPairs", seqPgPairs);
    check(seqPgContent > 0, "seqPgContent", seqPgContent);
    check(seqPgConfidence >= 0 && seqPgConfidence <= 1, "seqPgConfidence", seqPgConfidence);
    check(batchSize > 0, "batchSize", batchSize);
    bundles = List.copyOf(bundles);
    sweepBundles = sweepBundles == null ? List.of() : List.copyOf(sweepBundles);
    explainers = List.copyOf(explainers);
    targets = List.copyOf(targets);
  }

  private static void check(boolean ok, String name, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid evaluation option: " + name + " = " + value);
    }
  }

  /**
   * A builder: {@code setBundles}, {@code setDataset} and {@code setExplainers} are required; the
   * defaults of the rest are those of {@code candor evaluate --report}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link EvaluationOptions}; {@link #build()} validates. */
  public static final class Builder {
    private List<Path> bundles;
    private List<Path> sweepBundles = List.of();
    private Path dataset;
    private Path spansFile;
    private List<String> explainers;
    private int igSteps = 50;
    private int shapleySamples = 10;
    private int limeSamples = 500;
    private List<ExplanationTarget> targets = List.of(ExplanationTarget.LOGIT);
    private int limit;
    private long seed = 13L;
    private MaskingProtocol protocol = MaskingProtocol.paperDeciles();
    private int seqPgPairs = 25;
    private int seqPgContent = 25;
    private double seqPgConfidence = 0.5;
    private int batchSize = 16;
    private DeviceChoice device = DeviceChoice.AUTO;
    private String commandLine;

    private Builder() {}

    /** Model bundle directories, one report block each (at least one). */
    public Builder setBundles(List<Path> bundles) {
      this.bundles = bundles;
      return this;
    }

    /** Further B-cos bundles for the B sweep (default none; null means none). */
    public Builder optSweepBundles(List<Path> sweepBundles) {
      this.sweepBundles = sweepBundles;
      return this;
    }

    /** Labelled JSONL. */
    public Builder setDataset(Path dataset) {
      this.dataset = dataset;
      return this;
    }

    /** Toxic Spans JSONL for a second plausibility score (default none). */
    public Builder optSpansFile(Path spansFile) {
      this.spansFile = spansFile;
      return this;
    }

    /** Explainer names (at least one). */
    public Builder setExplainers(List<String> explainers) {
      this.explainers = explainers;
      return this;
    }

    /** Integrated Gradients steps (default 50). */
    public Builder optIgSteps(int igSteps) {
      this.igSteps = igSteps;
      return this;
    }

    /** Permutations per text for Shapley value sampling (default 10). */
    public Builder optShapleySamples(int shapleySamples) {
      this.shapleySamples = shapleySamples;
      return this;
    }

    /** Perturbed samples per text for LIME (default 500; the lime package uses 5,000). */
    public Builder optLimeSamples(int limeSamples) {
      this.limeSamples = limeSamples;
      return this;
    }

    /** Explanation targets, in report order (default logit only). */
    public Builder optTargets(List<ExplanationTarget> targets) {
      this.targets = targets;
      return this;
    }

    /** Rows sampled at random (default 0: all). */
    public Builder optLimit(int limit) {
      this.limit = limit;
      return this;
    }

    /** Seed of the sample, SeqPG pairing and Shapley permutations (default 13). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Comp/Suff erasure fractions (default the paper's deciles). */
    public Builder optProtocol(MaskingProtocol protocol) {
      this.protocol = protocol;
      return this;
    }

    /** At most this many SeqPG pairs per model (default 25). */
    public Builder optSeqPgPairs(int seqPgPairs) {
      this.seqPgPairs = seqPgPairs;
      return this;
    }

    /** Word-pieces kept from each text of a SeqPG pair (default 25, ≈ HateXplain's length). */
    public Builder optSeqPgContent(int seqPgContent) {
      this.seqPgContent = seqPgContent;
      return this;
    }

    /** Least predicted-class probability for a text to enter SeqPG (default 0.5). */
    public Builder optSeqPgConfidence(double seqPgConfidence) {
      this.seqPgConfidence = seqPgConfidence;
      return this;
    }

    /** Texts per explainer call (default 16). */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Where the models run (default auto). */
    public Builder optDevice(DeviceChoice device) {
      this.device = device;
      return this;
    }

    /** Recorded in the report's provenance (default none). */
    public Builder optCommandLine(String commandLine) {
      this.commandLine = commandLine;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a required value is missing or a count is out of range
     */
    public EvaluationOptions build() {
      return new EvaluationOptions(
          bundles,
          sweepBundles,
          dataset,
          spansFile,
          explainers,
          igSteps,
          shapleySamples,
          limeSamples,
          targets,
          limit,
          seed,
          protocol,
          seqPgPairs,
          seqPgContent,
          seqPgConfidence,
          batchSize,
          device,
          commandLine);
    }
  }
}
