package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * A per-token attribution method. Implementations run on the calling thread, which must not hold
 * another open gradient collector (PyTorch allows one per process) and should have grad mode off;
 * {@link dev.candor.model.ModelThread} provides such a thread.
 */
public interface TokenExplainer extends AutoCloseable {

  /** Short identifier as used on the command line and in reports, e.g. {@code ig}. */
  String name();

  /**
   * @param texts tokenized texts, specials included
   * @param targets class to explain per text (one per text, never null)
   * @return per text one score per token of that text (specials included, no padding)
   */
  double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets);

  /** One-line definition for the report's notes, so each number says how it was made. */
  String describe();

  /**
   * What the scores explain, for the report's target column: {@code logit} or {@code relative}
   * ({@link dev.candor.model.explain.ExplanationTarget}) for explainers of a logit function, {@code
   * probability} for perturbation explainers of the softmax probability, {@code none} for
   * class-agnostic ones.
   */
  default String target() {
    return "probability";
  }

  @Override
  default void close() {}
}
