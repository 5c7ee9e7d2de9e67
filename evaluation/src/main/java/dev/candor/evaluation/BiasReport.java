package dev.candor.evaluation;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jigsaw unintended-bias metrics. Power means are over the subgroups in {@code subgroups}; those in
 * {@code skipped} (name → reason) had too few positives or negatives and are left out of them.
 */
public record BiasReport(
    double overallAuc,
    Map<String, SubgroupAucs> subgroups,
    Map<String, String> skipped,
    double subgroupPowerMean,
    double bpsnPowerMean,
    double bnspPowerMean,
    double finalScore) {

  public BiasReport {
    // Sorted so reports list subgroups in the same order on every run.
    subgroups = Collections.unmodifiableMap(new TreeMap<>(subgroups));
    skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
  }

  /**
   * @param subgroupAuc AUC within the subgroup
   * @param bpsnAuc background positives vs subgroup negatives (low: subgroup non-toxic text is
   *     scored as toxic)
   * @param bnspAuc background negatives vs subgroup positives (low: subgroup toxic text is scored
   *     as non-toxic)
   */
  public record SubgroupAucs(
      int size, int positives, double subgroupAuc, double bpsnAuc, double bnspAuc) {}
}
