package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.tokenize.TokenizedText;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The floor every explainer must clear: uniform random scores in [0, 1) for non-special tokens
 * (specials 0), seeded per text by the seed and the text's token ids, so a run is reproducible and
 * does not depend on batch order. Its Comp/Suff say how much of a model's probability drop any
 * erasure of that many tokens causes.
 */
public final class RandomRanking implements TokenExplainer {
  private final long seed;

  public RandomRanking(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public String target() {
    return "none";
  }

  @Override
  public String describe() {
    return "random: uniform random token scores, seed "
        + seed
        + " mixed with each text's token ids (the floor; specials score 0)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    double[][] out = new double[texts.size()][];
    for (int t = 0; t < texts.size(); t++) {
      TokenizedText text = texts.get(t);
      Random random = new Random(seed * 1_000_003L + Arrays.hashCode(text.ids()));
      out[t] = new double[text.length()];
      for (int j = 0; j < text.length(); j++) {
        double v = random.nextDouble();
        out[t][j] = text.special()[j] ? 0.0 : v;
      }
    }
    return out;
  }
}
