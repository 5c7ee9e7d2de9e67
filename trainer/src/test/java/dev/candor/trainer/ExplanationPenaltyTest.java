package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.nn.GradMode;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import dev.candor.trainer.internals.ExplanationPenalty;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationPenaltyTest {

  private static final String[] CHECKED = {
    "classifier.weight", "bert.encoder.layer.1.output.dense.weight",
    "bert.encoder.layer.0.attention.self.query.weight", "bert.embeddings.LayerNorm.weight",
    "bert.encoder.layer.0.intermediate.dense.weight"
  };

  @Test
  void shouldMatchFiniteDifferencesOfInputTimesGradientPenalty() {
    check(false);
  }

  /**
   * In explanation mode the detached factors are graph constants, so the second-order backward
   * misses the penalty's dependence through them: the query weights (used only by the detached
   * attention probabilities) get no gradient although the penalty does depend on them.
   */
  @Test
  void shouldMissTheDependenceThroughDetachedFactorsInExplanationMode() {
    double[][] seen = check(true);
    String query = "bert.encoder.layer.0.attention.self.query.weight";
    int q = java.util.Arrays.asList(CHECKED).indexOf(query);
    for (double g : seen[2 * q]) {
      assertEquals(0.0, g, 0.0);
    }
    double maxFd = 0;
    for (double g : seen[2 * q + 1]) {
      maxFd = Math.max(maxFd, Math.abs(g));
    }
    org.junit.jupiter.api.Assertions.assertTrue(maxFd > 1e-6, "fd " + maxFd);
  }

  /** Analytic and finite-difference gradients at 4 entries per checked tensor (pairs of rows). */
  private double[][] check(boolean explain) {
    try (CandorModel model = TestModels.tiny(true, 1.5, DataType.FLOAT64, 7)) {
      TransformerClassifier net = model.network();
      List<TokenizedText> texts =
          List.of(
              model.tokenizer().encode("<user> i love this song"),
              model.tokenizer().encode("muslims are ruining this country"));
      PaddedBatch batch = PaddedBatch.of(texts, model.tokenizer().padId());
      int[] targets = {0, 1};
      float[] marked = new float[2 * batch.width()];
      marked[1] = 1; // "<" of <user>
      marked[2] = 1;
      marked[batch.width() + 1] = 1; // "muslims"
      for (NDArray p : net.parameters().values()) {
        p.setRequiresGradient(true);
      }
      double[][] analytic = new double[CHECKED.length][];
      try (NDScope ignored = new NDScope();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray ids = net.ids(batch.ids());
        NDArray mask = net.additiveMask(batch.lengths(), batch.width());
        NDArray p = ExplanationPenalty.penalty(net, ids, mask, targets, marked, explain);
        for (NDArray param : net.parameters().values()) {
          GradMode.zeroGrad(param);
        }
        ExplanationPenalty.backward(p);
        for (int i = 0; i < CHECKED.length; i++) {
          analytic[i] =
              net.parameters()
                  .get(CHECKED[i])
                  .getGradient()
                  .toType(DataType.FLOAT64, false)
                  .toDoubleArray();
        }
        collector.zeroGradients();
      }
      GradMode.disableForThisThread();
      double h = 1e-5;
      double[][] seen = new double[2 * CHECKED.length][4];
      for (int i = 0; i < CHECKED.length; i++) {
        NDArray param = net.parameters().get(CHECKED[i]);
        double[] flat = param.toDoubleArray();
        int[] entries = {0, 3, flat.length / 2, flat.length - 1};
        for (int e = 0; e < entries.length; e++) {
          int j = entries[e];
          double fd =
              (value(net, batch, targets, marked, explain, param, flat, j, h)
                      - value(net, batch, targets, marked, explain, param, flat, j, -h))
                  / (2 * h);
          restore(param, flat);
          seen[2 * i][e] = analytic[i][j];
          seen[2 * i + 1][e] = fd;
          if (!explain) {
            assertEquals(
                fd, analytic[i][j], 1e-6 + 1e-4 * Math.abs(fd), CHECKED[i] + "[" + j + "]");
          }
        }
      }
      return seen;
    }
  }

  private static double value(
      TransformerClassifier net,
      PaddedBatch batch,
      int[] targets,
      float[] marked,
      boolean explain,
      NDArray param,
      double[] flat,
      int j,
      double h) {
    double[] moved = flat.clone();
    moved[j] += h;
    restore(param, moved);
    try (NDScope ignored = new NDScope();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray ids = net.ids(batch.ids());
      NDArray mask = net.additiveMask(batch.lengths(), batch.width());
      double v =
          ExplanationPenalty.penalty(net, ids, mask, targets, marked, explain)
              .toType(DataType.FLOAT64, false)
              .getDouble();
      collector.zeroGradients();
      return v;
    }
  }

  private static void restore(NDArray param, double[] values) {
    try (NDScope ignored = new NDScope()) {
      NDArray src = param.getManager().create(values, param.getShape());
      param.subi(param.duplicate()).addi(src);
    }
  }
}
