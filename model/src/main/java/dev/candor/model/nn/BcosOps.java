package dev.candor.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * The functional forms of the B-cos transformer's layers (B-cos LM, arXiv 2502.12992; the exact
 * contract is {@code notes/bcos-model.md}).
 *
 * <p>In explanation mode every input-dependent factor (the B-cos factor |cos|^(B-1), LayerNorm's
 * 1/std, GELU's Φ(x), attention probabilities) is detached, so each layer is a linear map W(x)x of
 * its input and input×gradient is the exact contribution.
 */
public final class BcosOps {
  private static final double BCOS_EPS = 1e-6;

  private BcosOps() {}

  /**
   * B-cos linear: {@code out = Ŵx · (|cos(x, Ŵ)| + 1e-6)^(B-1)} with rows of W L2-normalised.
   *
   * @param x input {@code [..., in]}
   * @param weight {@code [out, in]}
   * @param b alignment pressure B ≥ 1; B = 1 is the plain normalised linear map
   * @param explain detach the dynamic factor
   * @return {@code [..., out]}
   */
  public static NDArray bcosLinear(NDArray x, NDArray weight, double b, boolean explain) {
    Scalars c = new Scalars(x);
    NDArray rowNorms = weight.square().sum(new int[] {1}, true).sqrt();
    NDArray lin = x.matMul(weight.div(rowNorms).transpose());
    if (b == 1.0) {
      return lin;
    }
    NDArray eps = c.of(BCOS_EPS);
    NDArray normX = x.square().sum(new int[] {-1}, true).add(eps).sqrt();
    NDArray factor = lin.div(normX).abs().add(eps).pow(c.of(b - 1.0));
    if (explain) {
      factor = factor.stopGradient();
    }
    return lin.mul(factor);
  }

  /**
   * Plain affine map {@code x W^T + bias}.
   *
   * @param bias {@code [out]} or null for none
   */
  public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    NDArray out = x.matMul(weight.transpose());
    return bias == null ? out : out.add(bias);
  }

  /**
   * LayerNorm over the last axis: centre, divide by std (detached in explanation mode), scale by
   * the gain; add β only when given (the B-cos model has none).
   */
  public static NDArray layerNorm(
      NDArray x, NDArray gain, NDArray beta, double eps, boolean explain) {
    Scalars c = new Scalars(x);
    NDArray centred = x.sub(x.mean(new int[] {-1}, true));
    NDArray std = centred.square().mean(new int[] {-1}, true).add(c.of(eps)).sqrt();
    if (explain) {
      std = std.stopGradient();
    }
    NDArray out = centred.div(std).mul(gain);
    return beta == null ? out : out.add(beta);
  }

  /** Exact erf GELU as {@code x·Φ(x)}, with Φ detached in explanation mode. */
  public static NDArray gelu(NDArray x, boolean explain) {
    Scalars c = new Scalars(x);
    NDArray phi = x.mul(c.of(1.0 / Math.sqrt(2.0))).erf().add(c.of(1.0)).mul(c.of(0.5));
    if (explain) {
      phi = phi.stopGradient();
    }
    return x.mul(phi);
  }

  /**
   * Softmax attention probabilities {@code softmax(q k^T / sqrt(headSize) + mask)}: {@code [batch,
   * heads, len, len]}, each row summing to 1 over the unpadded keys. Exposed separately so that
   * attention-based post-hoc explainers can read exactly what the model uses.
   */
  public static NDArray attentionProbabilities(NDArray q, NDArray k, NDArray additiveMask) {
    Scalars c = new Scalars(q);
    double scale = 1.0 / Math.sqrt(q.getShape().get(3));
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(c.of(scale)).add(additiveMask);
    return scores.softmax(-1);
  }

  /** Weighted sum of values; the probabilities are detached in explanation mode. */
  public static NDArray attend(NDArray probs, NDArray v, boolean explain) {
    return (explain ? probs.stopGradient() : probs).matMul(v);
  }
}
