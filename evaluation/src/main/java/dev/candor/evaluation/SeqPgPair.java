package dev.candor.evaluation;

/**
 * Two texts of different classes concatenated into one input. Segment ranges are token positions
 * [start, end) in the concatenated sequence; {@code attributionsA} explains class A (the class of
 * the text in segment A) and {@code attributionsB} explains class B, both over the whole sequence.
 */
public record SeqPgPair(
    int startA, int endA, int startB, int endB, double[] attributionsA, double[] attributionsB) {

  public SeqPgPair {
    if (attributionsA == null
        || attributionsB == null
        || attributionsA.length != attributionsB.length) {
      throw new IllegalArgumentException("both explanations must cover the same sequence");
    }
    int n = attributionsA.length;
    if (startA < 0 || startA >= endA || endA > n || startB < 0 || startB >= endB || endB > n) {
      throw new IllegalArgumentException(
          "segment out of range or empty: A=["
              + startA
              + ","
              + endA
              + ") B=["
              + startB
              + ","
              + endB
              + ") length "
              + n);
    }
    if (startA < endB && startB < endA) {
      throw new IllegalArgumentException("segments overlap");
    }
  }
}
