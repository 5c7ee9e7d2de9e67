package dev.candor.trainer.feedback;

/**
 * How spurious marks enter the loss besides augmentation.
 *
 * <p>The two second-order modes are for experiments only: a round with them on 1,000 feedback +
 * 1,000 replay texts grew to 19.3 GB resident and was killed by the kernel (docs/feedback-loop.md).
 * The likely cause, which PyTorch itself warns about when these modes run ("Using backward() with
 * create_graph=True will create a reference cycle between the parameter and its gradient … reset
 * the .grad fields of your parameters to None"): DJL 0.36 offers no way to set a parameter's
 * gradient to None or to detach it in place, so every step's graph stays reachable.
 */
public enum PenaltyMode {
  /** No penalty term. */
  NONE,
  /**
   * First-order surrogate: {@code λ·‖z(x) − z(x with marked tokens masked)‖²}, the logits must not
   * depend on the marked tokens.
   */
  CONSISTENCY,
  /**
   * First-order surrogate: {@code λ·‖z(x) − z(x with the marked tokens' embeddings set to 0)‖²}.
   * Unlike {@link #CONSISTENCY} the replacement has no trainable embedding of its own (a [MASK]
   * embedding can learn to stand in for what it replaces); for a linear model the difference is
   * exactly the marked tokens' contribution.
   */
  ABLATION,
  /**
   * {@code λ·Σ_marked c²} with c the input × gradient of the label's logit (no detaching), trained
   * through a second-order backward; its gradient is exact (checked against finite differences).
   */
  INPUT_X_GRADIENT,
  /**
   * {@code λ·Σ_marked c²} with c the exact B-cos contribution (explanation mode), trained through a
   * second-order backward that holds the detached dynamic weights fixed: not the full gradient of
   * the penalty (finite differences disagree), so not the default.
   */
  BCOS_FROZEN
}
