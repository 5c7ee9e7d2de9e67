package dev.candor.evaluation;

/**
 * Token scores against a binary human rationale. {@code special} marks positions left out of the
 * comparison ([CLS], [SEP], padding); null means none.
 */
public record RationaleExample(double[] scores, boolean[] rationale, boolean[] special) {

  public RationaleExample {
    if (scores == null
        || rationale == null
        || scores.length != rationale.length
        || (special != null && special.length != scores.length)) {
      throw new IllegalArgumentException("scores, rationale and special must have equal length");
    }
  }
}
