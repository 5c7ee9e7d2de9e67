package dev.candor.trainer;

import java.util.List;
import java.util.Map;

/**
 * What one round did.
 *
 * @param version the candidate's registry version, or null when no round ran
 * @param decision the gate's decision, or null when no round ran
 * @param reasons why the candidate was refused, or why no round ran
 * @param candidate candidate's gate figures
 * @param production production's gate figures
 * @param counts sizes of the data used
 * @param published whether the candidate was announced on the model-updates topic
 * @param trainSeconds fine-tuning wall time
 * @param roundSeconds whole round wall time
 */
public record RoundOutcome(
    String version,
    VersionRecord.Decision decision,
    List<String> reasons,
    Map<String, Double> candidate,
    Map<String, Double> production,
    Map<String, Integer> counts,
    boolean published,
    double trainSeconds,
    double roundSeconds) {

  static RoundOutcome skipped(String why) {
    return new RoundOutcome(null, null, List.of(why), Map.of(), Map.of(), Map.of(), false, 0, 0);
  }
}
