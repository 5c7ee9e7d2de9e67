package dev.candor.evaluation.posthoc;

import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The inputs of one-token occlusion: row 0 is the text itself, row {@code r + 1} a copy with the
 * {@code r}-th non-special token replaced. Shared by {@link Occlusion} ([MASK], probability) and
 * {@link LogitOcclusion} ([PAD], logit), which differ only in the replacement and the score.
 */
record OccludedCopies(List<long[]> rows, List<Integer> positions) {

  static OccludedCopies of(TokenizedText text, long replacement) {
    List<long[]> rows = new ArrayList<>();
    rows.add(text.ids());
    List<Integer> positions = new ArrayList<>();
    for (int j = 0; j < text.length(); j++) {
      if (!text.special()[j]) {
        long[] ids = text.ids().clone();
        ids[j] = replacement;
        rows.add(ids);
        positions.add(j);
      }
    }
    return new OccludedCopies(rows, positions);
  }

  /**
   * One score per token of a {@code length}-token text: {@code dropOfCopy(r)} for the token the
   * {@code r}-th copy occludes, 0 for special tokens.
   */
  double[] perToken(int length, IntToDoubleFunction dropOfCopy) {
    double[] out = new double[length];
    for (int r = 0; r < positions.size(); r++) {
      out[positions.get(r)] = dropOfCopy.applyAsDouble(r);
    }
    return out;
  }
}
