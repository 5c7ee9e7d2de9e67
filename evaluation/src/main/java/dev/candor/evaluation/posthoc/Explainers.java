package dev.candor.evaluation.posthoc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds explainers from their command-line names. */
public final class Explainers {
  /** Every name {@link #create} accepts, in report order. */
  public static final List<String> NAMES =
      List.of("bcos", "saliency", "ixg", "ig", "occlusion", "attention", "rollout", "shapley");

  private Explainers() {}

  public static TokenExplainer create(String name, int igSteps, int shapleySamples, long seed) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "bcos" -> new BcosExplanation();
      case "saliency" -> new Saliency();
      case "ixg", "inputxgradient" -> new InputXGradient();
      case "ig" -> new IntegratedGradients(igSteps);
      case "occlusion" -> new Occlusion();
      case "attention" -> new AttentionWeights();
      case "rollout" -> new AttentionRollout();
      case "shapley" -> new ShapleySampling(shapleySamples, seed);
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
}
