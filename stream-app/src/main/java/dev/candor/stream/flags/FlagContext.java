package dev.candor.stream.flags;

import dev.candor.model.explain.Prediction;
import dev.candor.stream.serving.ModelHandle;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * What a {@link SpuriousFlagRule} may use besides the explanation: the model that made it (for
 * counterfactual re-runs) and the reviewers' spurious-word marks learned from the feedback topic.
 */
public interface FlagContext {

  /**
   * Classifies texts (forward only) with the model that made the explanations being checked.
   *
   * @param texts non-blank texts
   * @return one prediction per text, in order
   * @throws IllegalStateException if no model is available or it was swapped meanwhile
   */
  List<Prediction> classify(List<String> texts);

  /**
   * How many reviewer judgements currently mark a word as spurious.
   *
   * @param key the word, lower-cased ({@code Evidence.Unit.key})
   * @return the count, 0 if none
   */
  int reviewerMarks(String key);

  /**
   * A context with no model and no reviewer marks.
   *
   * @return the context
   */
  static FlagContext none() {
    return of(
        texts -> {
          throw new IllegalStateException("no model to classify with in this context");
        },
        k -> 0);
  }

  /**
   * A context made of two functions.
   *
   * @param classifier forward-only classification
   * @param marks reviewer marks per lower-cased word
   * @return the context
   */
  static FlagContext of(Classifier classifier, ToIntFunction<String> marks) {
    Objects.requireNonNull(classifier, "classifier cannot be null");
    Objects.requireNonNull(marks, "marks cannot be null");
    return new FlagContext() {
      @Override
      public List<Prediction> classify(List<String> texts) {
        return classifier.classify(texts);
      }

      @Override
      public int reviewerMarks(String key) {
        return marks.applyAsInt(key);
      }
    };
  }

  /**
   * A context whose classifications come from {@code model} and must be made by the version that
   * explained the batch.
   *
   * @param model the handle
   * @param version the version that explained the batch being checked
   * @param marks reviewer marks per lower-cased word
   * @return the context
   */
  static FlagContext of(ModelHandle model, String version, ToIntFunction<String> marks) {
    return of(
        texts -> {
          if (!model.version().equals(version)) { // fail before spending a forward pass
            throw new IllegalStateException(
                "model swapped from " + version + " to " + model.version() + " meanwhile");
          }
          ModelHandle.ClassifiedBatch b = model.classify(texts);
          if (!b.modelVersion().equals(version)) {
            throw new IllegalStateException(
                "model swapped from " + version + " to " + b.modelVersion() + " meanwhile");
          }
          return b.predictions();
        },
        marks);
  }

  /** Forward-only classification. */
  @FunctionalInterface
  interface Classifier {
    /**
     * Classifies texts.
     *
     * @param texts non-blank texts
     * @return one prediction per text
     */
    List<Prediction> classify(List<String> texts);
  }
}
