package dev.candor.evaluation;

/**
 * @param meanAuprc mean token-level average precision over evaluated examples
 * @param meanTopKF1 mean top-k F1 over evaluated examples
 * @param evaluated examples with at least one rationale token
 * @param skipped examples without rationale tokens (e.g. HateXplain normal posts), where both
 *     measures are undefined
 */
public record PlausibilityResult(double meanAuprc, double meanTopKF1, int evaluated, int skipped) {}
