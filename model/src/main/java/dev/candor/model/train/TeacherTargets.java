package dev.candor.model.train;

import dev.candor.model.CandorModel;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Soft training targets from a teacher model (knowledge distillation): a training text's target is
 * {@code (1 − w)·one-hot(label) + w·p_teacher(text)}, with {@code p_teacher} the teacher's softmax
 * probabilities. The student keeps its own architecture — a B-cos student stays exact — only what
 * it is fitted to changes. The teacher is scored once, before training, so that it is not held in
 * memory (or run) during the steps.
 */
public final class TeacherTargets {
  private final float[][] probabilities;
  private final double weight;
  private final int agreeing;

  private TeacherTargets(float[][] probabilities, double weight, int agreeing) {
    this.probabilities = probabilities;
    this.weight = weight;
    this.agreeing = agreeing;
  }

  /**
   * Scores every row with the teacher.
   *
   * @param weight the teacher's share of each target, in (0, 1]; 1 ignores the labels
   * @param progress receives the number of rows scored so far
   * @throws IllegalArgumentException if the weight is out of range
   */
  public static TeacherTargets score(
      CandorModel teacher, List<Example> rows, double weight, int batchSize, IntConsumer progress) {
    checkWeight(weight);
    List<Prediction> predictions = LabelledScoring.predict(teacher, rows, batchSize, progress);
    float[][] p = new float[predictions.size()][];
    int agreeing = 0;
    for (int i = 0; i < p.length; i++) {
      double[] q = predictions.get(i).probabilities();
      p[i] = new float[q.length];
      for (int c = 0; c < q.length; c++) {
        p[i][c] = (float) q[c];
      }
      if (predictions.get(i).predicted() == rows.get(i).label()) {
        agreeing++;
      }
    }
    return new TeacherTargets(p, weight, agreeing);
  }

  /**
   * @throws IllegalArgumentException if {@code weight} is not in (0, 1]
   */
  public static void checkWeight(double weight) {
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException("teacher weight must be in (0, 1], was " + weight);
    }
  }

  /** Rows scored (the training rows, after any limit). */
  public int size() {
    return probabilities.length;
  }

  /** Share of the scored rows whose label the teacher predicts. */
  public double agreement() {
    return probabilities.length == 0 ? 0 : (double) agreeing / probabilities.length;
  }

  /** Writes row {@code row}'s target (label {@code label}) into {@code targets} at {@code at}. */
  void fill(float[] targets, int at, int row, int label) {
    float[] p = probabilities[row];
    for (int c = 0; c < p.length; c++) {
      targets[at + c] = (float) ((c == label ? 1 - weight : 0) + weight * p[c]);
    }
  }

  /** What the provenance records of the targets (the teacher itself: {@link FineTuning}). */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("teacher_weight", weight);
    m.put("teacher_label_agreement", agreement());
    return m;
  }
}
