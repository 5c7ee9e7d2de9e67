package dev.candor.model.train;

/** Receives progress from a fine-tuning run (e.g. to draw a progress bar). */
public interface TrainingListener {
  /**
   * After each optimisation step.
   *
   * @param epoch 1-based epoch
   * @param step 1-based step within the epoch
   * @param steps steps per epoch
   * @param loss running mean loss of this epoch
   * @param textsPerSecond training throughput so far in this epoch
   * @param etaSeconds estimated seconds left in the whole run
   */
  default void onStep(
      int epoch, int step, int steps, double loss, double textsPerSecond, double etaSeconds) {}

  /** While a teacher scores the training texts before the first step (distillation only). */
  default void onTeacher(int done, int total) {}

  /**
   * After each step of {@link EncoderRealignment}, before the first epoch (re-alignment only).
   *
   * @param step 1-based step
   * @param steps steps in all
   * @param loss running mean of this pass's 1 − cos loss
   * @param textsPerSecond throughput so far
   * @param etaSeconds estimated seconds left in the re-alignment
   */
  default void onRealign(
      long step, long steps, double loss, double textsPerSecond, double etaSeconds) {}

  /** After each epoch's validation. */
  default void onEpoch(int epoch, ClassificationMetrics validation, boolean best) {}

  TrainingListener NONE = new TrainingListener() {};
}
