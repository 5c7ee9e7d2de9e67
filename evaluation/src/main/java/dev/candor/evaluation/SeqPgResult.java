package dev.candor.evaluation;

/**
 * @param perPairA share of the class-A explanation's positive attribution inside segment A, per
 *     pair
 * @param perPairB the same for class B and segment B
 * @param mean mean over all finite shares (two per pair)
 * @param undefined shares that were NaN because the explanation had no positive attribution in
 *     either segment
 */
public record SeqPgResult(double[] perPairA, double[] perPairB, double mean, int undefined) {}
