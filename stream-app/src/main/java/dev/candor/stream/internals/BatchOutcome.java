package dev.candor.stream.internals;

import dev.candor.schemas.avro.ExplainedPrediction;

/** What the micro-batch processor emits per text: a prediction, or a text the model failed on. */
public sealed interface BatchOutcome permits BatchOutcome.Explained, BatchOutcome.Failed {

  /**
   * An explained text.
   *
   * @param prediction the prediction, flags included
   */
  record Explained(ExplainedPrediction prediction) implements BatchOutcome {}

  /**
   * A text the model could not explain; goes to dead letters with reason MODEL_ERROR. The forwarded
   * record already carries the dead-letter headers.
   *
   * @param text the buffered text, with its original key and value
   */
  record Failed(BufferedText text) implements BatchOutcome {}
}
