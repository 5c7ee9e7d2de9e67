package dev.candor.evaluation;

import java.util.List;

/**
 * Sequence pointing game. The denominator is the positive attribution inside the two segments only:
 * separator and [CLS]-style positions belong to neither class, and leaning on them is a failure
 * mode that is reported by its own detector rather than folded into this number.
 */
public final class SeqPg {

  private SeqPg() {}

  public static SeqPgResult score(List<SeqPgPair> pairs) {
    double[] a = new double[pairs.size()];
    double[] b = new double[pairs.size()];
    double[] all = new double[2 * pairs.size()];
    int undefined = 0;
    for (int i = 0; i < pairs.size(); i++) {
      SeqPgPair p = pairs.get(i);
      a[i] = share(p.attributionsA(), p.startA(), p.endA(), p.startB(), p.endB());
      b[i] = share(p.attributionsB(), p.startB(), p.endB(), p.startA(), p.endA());
      all[2 * i] = a[i];
      all[2 * i + 1] = b[i];
      undefined += (Double.isNaN(a[i]) ? 1 : 0) + (Double.isNaN(b[i]) ? 1 : 0);
    }
    return new SeqPgResult(a, b, Ranking.finiteMean(all), undefined);
  }

  static double share(
      double[] attributions, int ownStart, int ownEnd, int otherStart, int otherEnd) {
    double own = positiveSum(attributions, ownStart, ownEnd);
    double total = own + positiveSum(attributions, otherStart, otherEnd);
    return total > 0.0 ? own / total : Double.NaN;
  }

  private static double positiveSum(double[] values, int from, int to) {
    double sum = 0.0;
    for (int i = from; i < to; i++) {
      if (values[i] > 0.0) {
        sum += values[i];
      }
    }
    return sum;
  }
}
