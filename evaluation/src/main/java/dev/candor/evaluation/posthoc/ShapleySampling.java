package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Shapley value sampling (Castro et al. 2009) over the non-special tokens, with the mask token as
 * "absent" and the target's softmax probability as the value. Each sampled permutation adds tokens
 * one by one to the all-masked input, so the scores of every text sum exactly to f(all) − f(none)
 * (efficiency). Cost: {@code samples × (tokens + 1)} forwards per text.
 *
 * <p>The permutations come from the seed and the text's ids, so a text gets the same scores in any
 * batch or order.
 */
public final class ShapleySampling implements TokenExplainer {
  private final int samples;
  private final long seed;

  public ShapleySampling(int samples, long seed) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be positive");
    }
    this.samples = samples;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "shapley";
  }

  @Override
  public String describe() {
    return "shapley: Shapley value sampling of the target's softmax probability, "
        + samples
        + " permutations per text, [MASK] as absent, seed "
        + seed
        + " (specials score 0)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    ModelProbabilities probs = new ModelProbabilities(model);
    long mask = model.tokenizer().maskId();
    double[][] out = new double[texts.size()][];
    for (int t = 0; t < texts.size(); t++) {
      out[t] = explainOne(probs, mask, texts.get(t), targets[t]);
    }
    return out;
  }

  private double[] explainOne(ModelProbabilities probs, long mask, TokenizedText text, int target) {
    List<Integer> players = new ArrayList<>();
    for (int j = 0; j < text.length(); j++) {
      if (!text.special()[j]) {
        players.add(j);
      }
    }
    double[] phi = new double[text.length()];
    int n = players.size();
    if (n == 0) {
      return phi;
    }
    Random random = new Random(seed * 1_000_003L + Arrays.hashCode(text.ids()));
    List<List<Integer>> orders = new ArrayList<>(samples);
    List<long[]> rows = new ArrayList<>(samples * (n + 1));
    for (int s = 0; s < samples; s++) {
      List<Integer> order = new ArrayList<>(players);
      Collections.shuffle(order, random);
      orders.add(order);
      long[] ids = text.ids().clone();
      for (int j : players) {
        ids[j] = mask;
      }
      rows.add(ids.clone());
      for (int j : order) {
        ids[j] = text.ids()[j];
        rows.add(ids.clone());
      }
    }
    double[][] p = probs.ofIds(rows);
    for (int s = 0; s < samples; s++) {
      int base = s * (n + 1);
      List<Integer> order = orders.get(s);
      for (int k = 0; k < n; k++) {
        phi[order.get(k)] += p[base + k + 1][target] - p[base + k][target];
      }
    }
    for (int j = 0; j < phi.length; j++) {
      phi[j] /= samples;
    }
    return phi;
  }
}
