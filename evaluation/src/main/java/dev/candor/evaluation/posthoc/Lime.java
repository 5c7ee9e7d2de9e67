package dev.candor.evaluation.posthoc;

import dev.candor.model.CandorModel;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * LIME (Ribeiro et al. 2016) for token classifiers, following the {@code lime} package's {@code
 * LimeTextExplainer} defaults where they carry over:
 *
 * <ul>
 *   <li>features: the text's non-special word-pieces (the package uses words; the metrics here rank
 *       word-pieces), an absent feature is replaced by [MASK] so positions are kept (the package's
 *       {@code bow=False} replaces with a mask string);
 *   <li>sampling: the first sample is the text itself; each further sample draws how many features
 *       to remove uniformly from 1..d, then which ones uniformly without replacement (as {@code
 *       __data_labels_distances}); seeded per text by the seed and the token ids;
 *   <li>weights: cosine distance × 100 between the sample's binary vector and all-ones, kernel
 *       sqrt(exp(−distance² / 25²)) (kernel width 25);
 *   <li>surrogate: weighted ridge regression, α = 1, with intercept, on the explained class's
 *       softmax probability; all d coefficients are the scores (the package's "auto" feature
 *       selection keeps them all when {@code num_features} ≥ d).
 * </ul>
 *
 * <p>The package samples 5,000 perturbations per text; here the count is a parameter because each
 * costs a forward pass. Specials score 0.
 */
public final class Lime implements TokenExplainer {
  /** The {@code lime} package's text kernel width. */
  static final double KERNEL_WIDTH = 25.0;

  /** The {@code lime} package's ridge penalty. */
  static final double RIDGE_ALPHA = 1.0;

  private final int samples;
  private final long seed;

  public Lime(int samples, long seed) {
    if (samples < 2) {
      throw new IllegalArgumentException("LIME needs at least 2 samples");
    }
    this.samples = samples;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "lime";
  }

  @Override
  public String describe() {
    return "lime: LIME on the target's softmax probability, "
        + samples
        + " samples per text (first = the text; remove 1..d word-pieces uniformly, [MASK] as"
        + " absent), cosine-distance kernel of width 25, weighted ridge α = 1 with intercept, seed "
        + seed
        + " (specials score 0)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    ModelProbabilities probs = new ModelProbabilities(model);
    long mask = model.tokenizer().maskId();
    double[][] out = new double[texts.size()][];
    for (int t = 0; t < texts.size(); t++) {
      out[t] = explainOne(probs::ofIds, mask, texts.get(t), targets[t]);
    }
    return out;
  }

  /** LIME scores of one text against any model given as id sequences → class probabilities. */
  double[] explainOne(
      Function<List<long[]>, double[][]> probs, long mask, TokenizedText text, int target) {
    int[] features =
        java.util.stream.IntStream.range(0, text.length())
            .filter(j -> !text.special()[j])
            .toArray();
    double[] scores = new double[text.length()];
    int d = features.length;
    if (d == 0) {
      return scores;
    }
    Random random = new Random(seed * 1_000_003L + Arrays.hashCode(text.ids()));
    double[][] z = new double[samples][d];
    List<long[]> rows = new ArrayList<>(samples);
    Arrays.fill(z[0], 1.0);
    rows.add(text.ids().clone());
    for (int s = 1; s < samples; s++) {
      Arrays.fill(z[s], 1.0);
      int remove = 1 + random.nextInt(d);
      long[] ids = text.ids().clone();
      for (int f : choose(random, d, remove)) {
        z[s][f] = 0.0;
        ids[features[f]] = mask;
      }
      rows.add(ids);
    }
    double[][] p = probs.apply(rows);
    double[] y = new double[samples];
    double[] w = new double[samples];
    for (int s = 0; s < samples; s++) {
      y[s] = p[s][target];
      w[s] = kernel(z[s]);
    }
    double[] beta = weightedRidge(z, y, w, RIDGE_ALPHA);
    for (int f = 0; f < d; f++) {
      scores[features[f]] = beta[f];
    }
    return scores;
  }

  /** {@code k} distinct indices of {@code 0..n-1}, uniformly (partial Fisher–Yates). */
  private static int[] choose(Random random, int n, int k) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    return Arrays.copyOf(all, k);
  }

  /** sqrt(exp(−D² / width²)) with D = 100 × cosine distance between {@code z} and all-ones. */
  static double kernel(double[] z) {
    double active = 0;
    for (double v : z) {
      active += v;
    }
    // cos(z, 1) = active / (sqrt(active) sqrt(d)); a zero vector has similarity 0 (sklearn)
    double cosine = active == 0 ? 0.0 : Math.sqrt(active / z.length);
    double distance = 100.0 * (1.0 - cosine);
    return Math.sqrt(Math.exp(-(distance * distance) / (KERNEL_WIDTH * KERNEL_WIDTH)));
  }

  /**
   * Coefficients (no intercept) of the ridge regression minimising Σ w_s (y_s − b − x_s·β)² + α|β|²
   * with a free intercept b: weighted centring, then the normal equations by Cholesky.
   */
  static double[] weightedRidge(double[][] x, double[] y, double[] w, double alpha) {
    int n = x.length;
    int d = x[0].length;
    double wSum = 0;
    double yMean = 0;
    double[] xMean = new double[d];
    for (int s = 0; s < n; s++) {
      wSum += w[s];
      yMean += w[s] * y[s];
      for (int f = 0; f < d; f++) {
        xMean[f] += w[s] * x[s][f];
      }
    }
    yMean /= wSum;
    for (int f = 0; f < d; f++) {
      xMean[f] /= wSum;
    }
    double[][] a = new double[d][d];
    double[] b = new double[d];
    double[] xc = new double[d];
    for (int s = 0; s < n; s++) {
      for (int f = 0; f < d; f++) {
        xc[f] = x[s][f] - xMean[f];
      }
      double yc = y[s] - yMean;
      for (int f = 0; f < d; f++) {
        double wx = w[s] * xc[f];
        b[f] += wx * yc;
        for (int g = 0; g <= f; g++) {
          a[f][g] += wx * xc[g];
        }
      }
    }
    for (int f = 0; f < d; f++) {
      a[f][f] += alpha;
      for (int g = 0; g < f; g++) {
        a[g][f] = a[f][g];
      }
    }
    return solveSpd(a, b);
  }

  /** Solves A x = b for a symmetric positive definite A (Cholesky). */
  private static double[] solveSpd(double[][] a, double[] b) {
    int d = b.length;
    double[][] l = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            throw new IllegalStateException("ridge system is not positive definite");
          }
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    double[] y = new double[d];
    for (int i = 0; i < d; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * y[k];
      }
      y[i] = sum / l[i][i];
    }
    double[] x = new double[d];
    for (int i = d - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < d; k++) {
        sum -= l[k][i] * x[k];
      }
      x[i] = sum / l[i][i];
    }
    return x;
  }
}
