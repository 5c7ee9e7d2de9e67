package dev.candor.evaluation.posthoc;

import dev.candor.model.explain.ExplanationTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds explainers from their command-line names. */
public final class Explainers {
  /** Every name {@link #create} accepts, in report order. */
  public static final List<String> NAMES =
      List.of(
          "bcos",
          "saliency",
          "ixg",
          "ig",
          "occlusion-pad",
          "lime",
          "shapley",
          "attention",
          "rollout",
          "random",
          "occlusion");

  /**
   * Explainers whose scores depend on the explanation target (logit or relative); the others
   * explain the softmax probability or are class-agnostic, and run once whatever the target.
   */
  public static final List<String> TARGET_DEPENDENT =
      List.of("bcos", "saliency", "ixg", "inputxgradient", "ig", "occlusion-pad");

  /**
   * The metric-aligned reference: occlusion of the softmax probability with [MASK], the very
   * perturbation Comp applies, so it is reported as an upper reference, not a post-hoc baseline.
   */
  public static final String METRIC_ALIGNED = "occlusion";

  /** The random-ranking floor. */
  public static final String FLOOR = "random";

  private Explainers() {}

  /** An explainer of the raw logit where the target matters, LIME with 500 samples. */
  public static TokenExplainer create(String name, int igSteps, int shapleySamples, long seed) {
    return create(name, igSteps, shapleySamples, 500, seed, ExplanationTarget.LOGIT);
  }

  /**
   * @param limeSamples perturbations per text for LIME
   * @param target what target-dependent explainers ({@link #TARGET_DEPENDENT}) explain; ignored by
   *     the others
   */
  public static TokenExplainer create(
      String name,
      int igSteps,
      int shapleySamples,
      int limeSamples,
      long seed,
      ExplanationTarget target) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "bcos" -> new BcosExplanation(target);
      case "saliency" -> new Saliency(target);
      case "ixg", "inputxgradient" -> new InputXGradient(false, target);
      case "ig" -> new IntegratedGradients(igSteps, 32, target);
      case "occlusion-pad" -> new LogitOcclusion(target);
      case "occlusion" -> new Occlusion();
      case "lime" -> new Lime(limeSamples, seed);
      case "attention" -> new AttentionWeights();
      case "rollout" -> new AttentionRollout();
      case "shapley" -> new ShapleySampling(shapleySamples, seed);
      case "random" -> new RandomRanking(seed);
      default ->
          throw new IllegalArgumentException(
              "unknown explainer '" + name + "'; choose from " + String.join(",", NAMES));
    };
  }

  public static List<TokenExplainer> create(
      List<String> names, int igSteps, int shapleySamples, long seed) {
    List<TokenExplainer> out = new ArrayList<>();
    for (String n : names) {
      out.add(create(n, igSteps, shapleySamples, seed));
    }
    return out;
  }

  /**
   * One explainer per name and target: target-dependent explainers once per target (in target
   * order), the others once.
   */
  public static List<TokenExplainer> create(
      List<String> names,
      int igSteps,
      int shapleySamples,
      int limeSamples,
      long seed,
      List<ExplanationTarget> targets) {
    if (targets == null || targets.isEmpty()) {
      throw new IllegalArgumentException("at least one explanation target is required");
    }
    List<TokenExplainer> out = new ArrayList<>();
    for (String n : names) {
      boolean dependent = TARGET_DEPENDENT.contains(n.trim().toLowerCase(Locale.ROOT));
      for (ExplanationTarget t : dependent ? targets : targets.subList(0, 1)) {
        out.add(create(n, igSteps, shapleySamples, limeSamples, seed, t));
      }
    }
    return out;
  }
}
