package dev.candor.evaluation.posthoc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.ModelThread;
import dev.candor.model.TestModels;
import dev.candor.model.explain.Explainer;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostHocExplainersTest {
  private static final List<String> TEXTS =
      List.of(
          "you are a wonderful person",
          "go back to where you came from, nobody wants you here",
          "ok");

  private static ModelThread worker;

  @BeforeAll
  static void start() {
    worker = new ModelThread("candor-evaluation-test");
  }

  @AfterAll
  static void stop() {
    worker.close();
  }

  private static List<TokenizedText> tokenize(CandorModel m) {
    List<TokenizedText> out = new ArrayList<>();
    for (String t : TEXTS) {
      out.add(m.tokenizer().encode(t));
    }
    return out;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  /** Target logit of one text at the given embeddings scale (1 = the text, 0 = zero baseline). */
  private static double logitAt(CandorModel m, TokenizedText t, int target, boolean zero) {
    TransformerClassifier net = m.network();
    try (NDScope ignored = new NDScope()) {
      Gradients.Inputs in = Gradients.inputs(m, List.of(t));
      NDArray e = zero ? in.embeddings().zerosLike() : in.embeddings();
      return net.logitsFromEmbeddings(e, in.mask(), false)
          .toType(DataType.FLOAT64, false)
          .toDoubleArray()[target];
    }
  }

  @Test
  void integratedGradientsIsCompleteAndConvergesWithSteps() {
    try (CandorModel m = TestModels.tiny(false, 1.0, DataType.FLOAT64, 7)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {1, 0, 1};
      double[] previous = null;
      for (int steps : new int[] {4, 16, 64}) {
        double[][] a =
            worker.call(() -> new IntegratedGradients(steps, 5).explain(m, texts, targets));
        double[] errors = new double[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
          assertEquals(texts.get(i).length(), a[i].length);
          int t = targets[i];
          TokenizedText text = texts.get(i);
          double expected =
              worker.call(() -> logitAt(m, text, t, false) - logitAt(m, text, t, true));
          errors[i] = Math.abs(sum(a[i]) - expected);
          // Midpoint rule: error O(1/steps²); the bound tightens with every step count.
          double tolerance = 5.0 * (Math.abs(expected) + 1.0) / (steps * (double) steps);
          assertTrue(
              errors[i] < tolerance,
              "steps " + steps + " text " + i + ": |Σ − Δf| = " + errors[i] + " > " + tolerance);
        }
        if (previous != null) {
          assertTrue(sum(errors) < sum(previous), "more steps should not be less complete");
        }
        previous = errors;
      }
    }
  }

  @Test
  void occlusionEqualsTheHandComputedProbabilityDrop() {
    try (CandorModel m = TestModels.tiny(false, 1.0, DataType.FLOAT64, 3)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {0, 1, 1};
      double[][] a = worker.call(() -> new Occlusion().explain(m, texts, targets));
      ModelProbabilities probs = new ModelProbabilities(m);
      TokenizedText t = texts.get(1);
      for (int j = 0; j < t.length(); j++) {
        if (t.special()[j]) {
          assertEquals(0.0, a[1][j]);
          continue;
        }
        long[] masked = t.ids().clone();
        masked[j] = m.tokenizer().maskId();
        double[][] p = worker.call(() -> probs.ofIds(List.of(t.ids(), masked)));
        assertEquals(p[0][1] - p[1][1], a[1][j], 1e-12);
      }
      assertTrue(sum(a[1]) != 0.0);
    }
  }

  @Test
  void inputTimesGradientInExplanationModeIsTheBcosExplanation() {
    try (CandorModel m = TestModels.tiny(true, 1.5, DataType.FLOAT64, 5);
        BcosExplanation bcos = new BcosExplanation()) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {1, 0, 1};
      double[][] ixg = worker.call(() -> new InputXGradient(true).explain(m, texts, targets));
      double[][] exact = worker.call(() -> bcos.explain(m, texts, targets));
      double[][] plain = worker.call(() -> new InputXGradient(false).explain(m, texts, targets));
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(exact[i], ixg[i], 1e-10);
      }
      // The ordinary graph differs: the detaches are what make the B-cos explanation exact.
      assertNotEquals(exact[1][2], plain[1][2], 1e-6);
    }
  }

  @Test
  void bcosExplanationSumsToTheLogit() {
    try (CandorModel m = TestModels.tiny(true, 1.5, DataType.FLOAT64, 5);
        BcosExplanation bcos = new BcosExplanation();
        Explainer explainer = new Explainer(m)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {1, 1, 0};
      double[][] a = worker.call(() -> bcos.explain(m, texts, targets));
      var es = explainer.explainTokenized(texts, targets);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(es.get(i).explainedLogit(), sum(a[i]), 1e-8);
      }
    }
  }

  @Test
  void shapleySamplingIsEfficientAndSeeded() {
    try (CandorModel m = TestModels.tiny(false, 1.0, DataType.FLOAT64, 9)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {1, 0, 1};
      double[][] a = worker.call(() -> new ShapleySampling(3, 42).explain(m, texts, targets));
      ModelProbabilities probs = new ModelProbabilities(m);
      for (int i = 0; i < texts.size(); i++) {
        TokenizedText t = texts.get(i);
        long[] none = t.ids().clone();
        for (int j = 0; j < none.length; j++) {
          if (!t.special()[j]) {
            none[j] = m.tokenizer().maskId();
          }
        }
        double[][] p = worker.call(() -> probs.ofIds(List.of(t.ids(), none)));
        assertEquals(p[0][targets[i]] - p[1][targets[i]], sum(a[i]), 1e-9);
        assertEquals(0.0, a[i][0]);
      }
      // Same seed, different batch: same scores; another seed: different ones.
      double[][] alone =
          worker.call(
              () -> new ShapleySampling(3, 42).explain(m, List.of(texts.get(1)), new int[] {0}));
      assertArrayEquals(a[1], alone[0], 1e-12);
      double[][] other =
          worker.call(
              () -> new ShapleySampling(3, 43).explain(m, List.of(texts.get(1)), new int[] {0}));
      assertNotEquals(a[1][2], other[0][2], 1e-12);
    }
  }

  @Test
  void attentionRowsSumToOneAndSkipPadding() {
    try (CandorModel m = TestModels.tiny(true, 1.5, DataType.FLOAT32, 2)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {0, 0, 0};
      for (TokenExplainer e : List.of(new AttentionWeights(), new AttentionRollout())) {
        double[][] a = worker.call(() -> e.explain(m, texts, targets));
        for (int i = 0; i < texts.size(); i++) {
          assertEquals(texts.get(i).length(), a[i].length, e.name());
          assertEquals(1.0, sum(a[i]), 1e-5, e.name() + " text " + i);
          for (double v : a[i]) {
            assertTrue(v >= 0, e.name());
          }
        }
        // Batched with longer texts (so padded) or alone: the same scores.
        double[][] alone = worker.call(() -> e.explain(m, List.of(texts.get(2)), new int[] {0}));
        assertArrayEquals(alone[0], a[2], 1e-5, e.name());
      }
    }
  }

  @Test
  void saliencyIsTheGradientNormAndIgnoresPadding() {
    try (CandorModel m = TestModels.tiny(false, 1.0, DataType.FLOAT64, 4)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {1, 1, 1};
      double[][] batched = worker.call(() -> new Saliency().explain(m, texts, targets));
      double[][] alone =
          worker.call(() -> new Saliency().explain(m, List.of(texts.get(2)), new int[] {1}));
      assertArrayEquals(alone[0], batched[2], 1e-10);
      for (double[] row : batched) {
        for (double v : row) {
          assertTrue(v > 0);
        }
      }
    }
  }

  @Test
  void padOcclusionIsTheDropOfTheExplainedValueWithPadInPlace() {
    try (CandorModel m = TestModels.tiny(false, 1.0, DataType.FLOAT64, 12)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {1, 0, 1};
      double[][] logit =
          worker.call(() -> new LogitOcclusion(ExplanationTarget.LOGIT).explain(m, texts, targets));
      double[][] relative =
          worker.call(
              () -> new LogitOcclusion(ExplanationTarget.RELATIVE).explain(m, texts, targets));
      int[] other = {0, 1, 0};
      double[][] logitOther =
          worker.call(() -> new LogitOcclusion(ExplanationTarget.LOGIT).explain(m, texts, other));
      ModelProbabilities forward = new ModelProbabilities(m);
      TokenizedText t = texts.get(1);
      long[] occluded = t.ids().clone();
      occluded[2] = m.tokenizer().padId();
      double[][] z = worker.call(() -> forward.logitsOfIds(List.of(t.ids(), occluded)));
      assertEquals(z[0][0] - z[1][0], logit[1][2], 1e-10);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(0.0, logit[i][0]);
        assertEquals(0.0, logit[i][texts.get(i).length() - 1]);
        for (int j = 0; j < logit[i].length; j++) {
          // binary: the relative drop is the drop of z_c minus the drop of z_other
          assertEquals(logit[i][j] - logitOther[i][j], relative[i][j], 1e-10);
        }
      }
      assertNotEquals(0.0, logit[1][2]);
    }
  }

  @Test
  void limeRecoversTheWeightsOfAnAdditiveModelAndIsSeeded() {
    // p(class 1) = 0.05 + Σ weights of the content tokens still present
    double[] weights = {0.30, -0.10, 0.20, 0.0, 0.25};
    long mask = 103;
    long[] ids = {101, 10, 11, 12, 13, 14, 102};
    boolean[] special = {true, false, false, false, false, false, true};
    int n = ids.length;
    int[] none = new int[n];
    java.util.Arrays.fill(none, -1);
    TokenizedText text =
        new TokenizedText("", ids, new String[n], none, none, special, none, false, 0);
    java.util.function.Function<List<long[]>, double[][]> model =
        rows ->
            rows.stream()
                .map(
                    r -> {
                      double p = 0.05;
                      for (int j = 1; j <= weights.length; j++) {
                        p += r[j] == mask ? 0 : weights[j - 1];
                      }
                      return new double[] {1 - p, p};
                    })
                .toArray(double[][]::new);
    double[] a = new Lime(2000, 7).explainOne(model, mask, text, 1);
    assertEquals(0.0, a[0]);
    assertEquals(0.0, a[n - 1]);
    for (int j = 1; j <= weights.length; j++) {
      // ridge α = 1 shrinks a little; the weighted design is far larger than α
      assertEquals(weights[j - 1], a[j], 0.02, "token " + j);
    }
    assertArrayEquals(a, new Lime(2000, 7).explainOne(model, mask, text, 1), 0.0);
    assertNotEquals(a[1], new Lime(2000, 8).explainOne(model, mask, text, 1)[1], 0.0);
    // explaining class 0 flips every sign
    double[] against = new Lime(2000, 7).explainOne(model, mask, text, 0);
    for (int j = 1; j <= weights.length; j++) {
      assertEquals(-a[j], against[j], 1e-9);
    }
  }

  @Test
  void limeKernelAndRidgeFollowTheLimePackage() {
    assertEquals(1.0, Lime.kernel(new double[] {1, 1, 1, 1}), 1e-12);
    // half the features active: distance 100·(1 − √0.5) ≈ 29.29, kernel √exp(−D²/625)
    double d = 100 * (1 - Math.sqrt(0.5));
    assertEquals(
        Math.sqrt(Math.exp(-d * d / 625.0)), Lime.kernel(new double[] {1, 0, 1, 0}), 1e-12);
    // y = 2 + 3·x exactly, weights 1: centred Sxx = 4·0.25 = 1, Sxy = 4·0.5·1.5 = 3, so the
    // ridge slope is Sxy / (Sxx + α) = 1.5 with α = 1 and 3 without penalty
    double[][] x = {{0}, {1}, {0}, {1}};
    double[] y = {2, 5, 2, 5};
    assertEquals(1.5, Lime.weightedRidge(x, y, new double[] {1, 1, 1, 1}, 1.0)[0], 1e-12);
    assertEquals(3.0, Lime.weightedRidge(x, y, new double[] {1, 1, 1, 1}, 1e-12)[0], 1e-9);
  }

  @Test
  void randomFloorIsSeededPerTextAndLeavesSpecialsAtZero() {
    try (CandorModel m = TestModels.tiny(false, 1.0, DataType.FLOAT32, 1)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {0, 0, 0};
      double[][] a = new RandomRanking(5).explain(m, texts, targets);
      double[][] alone = new RandomRanking(5).explain(m, List.of(texts.get(1)), new int[] {1});
      assertArrayEquals(a[1], alone[0], 0.0);
      double[][] other = new RandomRanking(6).explain(m, texts, targets);
      assertNotEquals(a[1][1], other[1][1], 0.0);
      for (double[] row : a) {
        assertEquals(0.0, row[0]);
        assertEquals(0.0, row[row.length - 1]);
      }
    }
  }

  @Test
  void relativeGradientsInExplanationModeAreTheBcosRelativeExplanation() {
    try (CandorModel m = TestModels.tiny(true, 1.5, DataType.FLOAT64, 21);
        BcosExplanation bcos = new BcosExplanation(ExplanationTarget.RELATIVE)) {
      List<TokenizedText> texts = tokenize(m);
      int[] targets = {1, 0, 1};
      double[][] exact = worker.call(() -> bcos.explain(m, texts, targets));
      double[][] ixg =
          worker.call(
              () ->
                  new InputXGradient(true, ExplanationTarget.RELATIVE).explain(m, texts, targets));
      double[][] logit = worker.call(() -> new BcosExplanation().explain(m, texts, targets));
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(exact[i], ixg[i], 1e-10);
      }
      assertNotEquals(logit[1][2], exact[1][2], 1e-8);
      assertEquals("relative", bcos.target());
    }
  }

  @Test
  void targetDependentExplainersRunOncePerTarget() {
    List<TokenExplainer> all =
        Explainers.create(
            List.of("bcos", "ig", "lime", "occlusion", "occlusion-pad", "random"),
            4,
            2,
            10,
            1,
            List.of(ExplanationTarget.LOGIT, ExplanationTarget.RELATIVE));
    assertEquals(
        List.of(
            "bcos/logit",
            "bcos/relative",
            "ig/logit",
            "ig/relative",
            "lime/probability",
            "occlusion/probability",
            "occlusion-pad/logit",
            "occlusion-pad/relative",
            "random/none"),
        all.stream().map(e -> e.name() + "/" + e.target()).toList());
  }

  @Test
  void explainersAreFoundByName() {
    for (String n : Explainers.NAMES) {
      try (TokenExplainer e = Explainers.create(n, 8, 2, 1)) {
        assertEquals(n, e.name());
        assertTrue(e.describe().startsWith(n + ":"));
      }
    }
  }
}
