package dev.candor.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.nn.GradMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) with global-norm gradient clipping, updating parameters in place.
 * Constants are 0-d arrays (see {@code Scalars}: number-scalar ops corrupted gradients here).
 * Public for trainers that add loss terms of their own (the feedback trainer's explanation
 * penalty); gradients are read detached, so one made with {@code create_graph} is safe too.
 */
public final class AdamW {
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

  /**
   * Creates the optimizer over {@code parameters} (updated in place).
   *
   * @param parameters by Hugging Face name; names ending {@code .bias} or containing {@code
   *     LayerNorm} get no weight decay
   * @param weightDecay decoupled decay
   * @param clipNorm global gradient-norm clip (≤ 0 disables)
   */
  public AdamW(Map<String, NDArray> parameters, double weightDecay, double clipNorm) {
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray p = e.getValue();
      params.add(p);
      // no decay on biases and LayerNorm gains, as in BERT fine-tuning
      decay.add(!(e.getKey().endsWith(".bias") || e.getKey().contains("LayerNorm")));
      m.add(p.zerosLike());
      v.add(p.zerosLike());
    }
  }

  /**
   * Clips, updates and zeroes the gradients; call inside an {@code NDScope}, with grad mode off.
   *
   * @return the gradient norm before clipping
   */
  public double step(double lr) {
    step++;
    NDArray p0 = params.get(0);
    NDArray sq = null;
    for (NDArray p : params) {
      NDArray s = p.getGradient().stopGradient().square().sum();
      sq = sq == null ? s : sq.add(s);
    }
    double norm = Math.sqrt(sq.toType(DataType.FLOAT64, false).getDouble());
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
