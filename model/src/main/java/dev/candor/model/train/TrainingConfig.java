package dev.candor.model.train;

import java.util.LinkedHashMap;
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
    return new TrainingConfig(learningRate, epochs, 16, 0.1, 0.01, 1.0, 42, 64, 0, 0);
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
