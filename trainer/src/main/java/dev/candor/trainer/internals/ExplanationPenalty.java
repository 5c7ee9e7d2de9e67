package dev.candor.trainer.internals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.candor.model.nn.TransformerClassifier;

/**
 * The explanation penalty: the squared exact B-cos contributions of reviewer-marked tokens to the
 * logit of each text's label, {@code Σ_i Σ_{t marked in i} c_{i,t}²}, where {@code c = e ⊙ ∂z_y/∂e}
 * at the post-LayerNorm embeddings {@code e} in explanation mode (dynamic factors detached), i.e.
 * exactly what the explainer reports.
 *
 * <p>Training on it needs the derivative of a gradient: {@link #penalty} back-propagates {@code
 * z_y} with PyTorch's {@code create_graph=true} (DJL 0.36 exposes it as {@link JniUtils#backward}'s
 * last flag), so that {@code ∂z_y/∂e} is itself a differentiable array, then forms the penalty from
 * it. A later ordinary backward of the penalty reaches every parameter, including the embeddings (a
 * zero-valued leaf added to {@code e} carries the gradient, so {@code e} keeps its own graph).
 *
 * <p>Side effect the caller must undo: the first backward also accumulates {@code ∂z_y/∂θ} into
 * every parameter's gradient, so zero the parameters' gradients after this call and before the
 * penalty's own backward.
 *
 * <p>In explanation mode the detached factors are constants of the graph, so the gradient obtained
 * is that of the penalty with the dynamic weights held fixed (their dependence on θ is not
 * differentiated); without explanation mode ({@code explain=false}) the same code gives the exact
 * gradient of input × gradient, which is what the finite-difference test checks.
 */
public final class ExplanationPenalty {
  private ExplanationPenalty() {}

  /**
   * @param net the model (parameters must require gradients; grad mode on)
   * @param ids token ids {@code [batch, len]}
   * @param mask additive attention mask
   * @param targets class whose logit is explained, per row
   * @param marked {@code [batch * len]}: 1 where a token is marked spurious, else 0
   * @param explain explanation mode (detached dynamic factors), as the explainer computes them
   * @return the 0-d penalty {@code Σ marked c²}, differentiable with respect to the parameters
   */
  public static NDArray penalty(
      TransformerClassifier net,
      NDArray ids,
      NDArray mask,
      int[] targets,
      float[] marked,
      boolean explain) {
    NDArray e = net.embed(ids, false);
    NDArray carrier = e.zerosLike().stopGradient();
    carrier.setRequiresGradient(true);
    NDArray used = e.add(carrier);
    NDArray logits = net.logitsFromEmbeddings(used, mask, explain);
    int k = (int) logits.getShape().get(1);
    float[] oneHot = new float[targets.length * k];
    for (int i = 0; i < targets.length; i++) {
      oneHot[i * k + targets[i]] = 1f;
    }
    NDArray select = typed(net.manager().create(oneHot, logits.getShape()), logits);
    NDArray target = logits.mul(select).sum();
    JniUtils.backward((PtNDArray) target, (PtNDArray) target.onesLike(), true, true);
    NDArray grad = carrier.getGradient();
    NDArray contributions = grad.mul(used).sum(new int[] {-1});
    NDArray markedArr =
        typed(
            net.manager().create(marked, new Shape(targets.length, ids.getShape().get(1))), logits);
    return contributions.square().mul(markedArr).sum();
  }

  /** Ordinary backward of a scalar loss (no graph kept). */
  public static void backward(NDArray loss) {
    JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
  }

  private static NDArray typed(NDArray a, NDArray like) {
    return like.getDataType() == DataType.FLOAT32 ? a : a.toType(like.getDataType(), false);
  }
}
