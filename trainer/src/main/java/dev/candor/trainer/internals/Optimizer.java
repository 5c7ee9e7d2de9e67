package dev.candor.trainer.internals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.nn.GradMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW (β 0.9/0.999, ε 1e-8, decoupled weight decay except on biases and LayerNorm gains) with
 * global-norm clipping, the same update as the model module's fine-tuner (whose optimiser is not
 * public). Constants are 0-d arrays: number-scalar ops corrupted gradients on this stack.
 */
final class Optimizer {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final List<NDArray> params = new ArrayList<>();
  private final List<Boolean> decay = new ArrayList<>();
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private final double weightDecay;
  private final double clipNorm;
  private int step;

  Optimizer(Map<String, NDArray> parameters, double weightDecay, double clipNorm) {
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray p = e.getValue();
      params.add(p);
      decay.add(!(e.getKey().endsWith(".bias") || e.getKey().contains("LayerNorm")));
      m.add(p.zerosLike());
      v.add(p.zerosLike());
    }
  }

  /** One update with grad mode off inside an NDScope; zeroes the gradients. */
  double step(double lr) {
    step++;
    NDArray p0 = params.get(0);
    double sq = 0;
    for (NDArray p : params) {
      sq += p.getGradient().square().sum().toType(DataType.FLOAT64, false).getDouble();
    }
    double norm = Math.sqrt(sq);
    double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / (norm + 1e-6) : 1.0;
    double bc1 = 1 - Math.pow(BETA1, step);
    double bc2 = 1 - Math.pow(BETA2, step);
    NDArray b1 = c(p0, BETA1);
    NDArray oneMinusB1 = c(p0, (1 - BETA1) * scale);
    NDArray b2 = c(p0, BETA2);
    NDArray oneMinusB2 = c(p0, (1 - BETA2) * scale * scale);
    NDArray stepSize = c(p0, lr / bc1);
    NDArray invSqrtBc2 = c(p0, 1 / Math.sqrt(bc2));
    NDArray eps = c(p0, EPS);
    NDArray keep = c(p0, 1 - lr * weightDecay);
    for (int i = 0; i < params.size(); i++) {
      NDArray p = params.get(i);
      NDArray g = p.getGradient().stopGradient();
      m.get(i).muli(b1).addi(g.mul(oneMinusB1));
      v.get(i).muli(b2).addi(g.square().mul(oneMinusB2));
      if (decay.get(i) && weightDecay > 0) {
        p.muli(keep);
      }
      NDArray denom = v.get(i).sqrt().mul(invSqrtBc2).add(eps);
      p.subi(m.get(i).div(denom).mul(stepSize));
      GradMode.zeroGrad(p);
    }
    return norm;
  }

  private static NDArray c(NDArray like, double value) {
    return like.getDataType() == DataType.FLOAT64
        ? like.getManager().create(value)
        : like.getManager().create((float) value);
  }
}
