package dev.candor.model.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every fine-tuning setting; all of it goes into the bundle's provenance.
 *
 * @param learningRate peak AdamW learning rate
 * @param epochs passes over the training data
 * @param batchSize texts per step
 * @param warmupFraction share of steps with linear warm-up (then linear decay to 0)
 * @param weightDecay decoupled AdamW decay (not applied to biases and LayerNorm gains)
 * @param clipNorm global gradient-norm clip (≤ 0 disables)
 * @param seed drives shuffling and head initialisation
 * @param evalBatchSize texts per validation batch
 * @param limitTrain use only the first N training texts (≤ 0: all)
 * @param limitValidation use only the first N validation texts (≤ 0: all)
 */
public record TrainingConfig(
    double learningRate,
    int epochs,
    int batchSize,
    double warmupFraction,
    double weightDecay,
    double clipNorm,
    long seed,
    int evalBatchSize,
    int limitTrain,
    int limitValidation) {

  public TrainingConfig {
    if (!(learningRate > 0 && learningRate < 1)) {
      throw new IllegalArgumentException("learning rate must be in (0, 1), was " + learningRate);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
    }
    if (batchSize < 1 || evalBatchSize < 1) {
      throw new IllegalArgumentException("batch sizes must be at least 1");
    }
    if (warmupFraction < 0 || warmupFraction >= 1) {
      throw new IllegalArgumentException(
          "warm-up fraction must be in [0, 1), was " + warmupFraction);
    }
  }

  /** The reference settings of {@code notes/spike-training-facts.md} with a given rate. */
  public static TrainingConfig defaults(double learningRate, int epochs) {
    return builder().setLearningRate(learningRate).optEpochs(epochs).build();
  }

  /**
   * A builder in the DJL manner: {@code setLearningRate} is required; every other setting defaults
   * to the reference run of {@code notes/spike-training-facts.md} (2 epochs, batch 16, 10 %
   * warm-up, weight decay 0.01, clip 1.0, seed 42, validation batch 64, all texts).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TrainingConfig}; validation happens in {@link #build()}. */
  public static final class Builder {
    private double learningRate = Double.NaN;
    private int epochs = 2;
    private int batchSize = 16;
    private double warmupFraction = 0.1;
    private double weightDecay = 0.01;
    private double clipNorm = 1.0;
    private long seed = 42;
    private int evalBatchSize = 64;
    private int limitTrain;
    private int limitValidation;

    private Builder() {}

    public Builder setLearningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder optEpochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder optWarmupFraction(double warmupFraction) {
      this.warmupFraction = warmupFraction;
      return this;
    }

    public Builder optWeightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Global gradient-norm clip; ≤ 0 disables it. */
    public Builder optClipNorm(double clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optEvalBatchSize(int evalBatchSize) {
      this.evalBatchSize = evalBatchSize;
      return this;
    }

    /** Use only the first N training texts (≤ 0: all). */
    public Builder optLimitTrain(int limitTrain) {
      this.limitTrain = limitTrain;
      return this;
    }

    /** Use only the first N validation texts (≤ 0: all). */
    public Builder optLimitValidation(int limitValidation) {
      this.limitValidation = limitValidation;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the learning rate is missing or a setting is out of range
     */
    public TrainingConfig build() {
      return new TrainingConfig(
          learningRate,
          epochs,
          batchSize,
          warmupFraction,
          weightDecay,
          clipNorm,
          seed,
          evalBatchSize,
          limitTrain,
          limitValidation);
    }
  }

  /** The training rows used: the first {@link #limitTrain} of {@code rows}, or all. */
  public <T> List<T> trainRowsOf(List<T> rows) {
    return first(rows, limitTrain);
  }

  /**
   * The validation rows used (of each validation set): the first {@link #limitValidation}, or all.
   */
  public <T> List<T> validationRowsOf(List<T> rows) {
    return first(rows, limitValidation);
  }

  private static <T> List<T> first(List<T> rows, int limit) {
    return limit > 0 && limit < rows.size() ? rows.subList(0, limit) : rows;
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", "AdamW(beta1=0.9, beta2=0.999, eps=1e-8)");
    m.put("loss", "BCE-with-logits on one-hot targets");
    m.put("learning_rate", learningRate);
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("warmup_fraction", warmupFraction);
    m.put("schedule", "linear warm-up, linear decay to 0");
    m.put("weight_decay", weightDecay);
    m.put("clip_norm", clipNorm);
    m.put("seed", seed);
    m.put("padding", "dynamic, length-bucketed batches");
    m.put("limit_train", limitTrain);
    m.put("limit_validation", limitValidation);
    return m;
  }
}
