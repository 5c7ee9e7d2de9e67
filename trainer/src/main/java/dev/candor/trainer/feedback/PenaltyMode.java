package dev.candor.trainer.feedback;

/** How spurious marks enter the loss besides augmentation. */
public enum PenaltyMode {
  /** No penalty term. */
  NONE,
  /**
   * First-order surrogate: {@code λ·‖z(x) − z(x with marked tokens masked)‖²}, the logits must not
   * depend on the marked tokens.
   */
  CONSISTENCY,
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
