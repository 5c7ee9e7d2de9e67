package dev.candor.stream.serving;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import java.util.List;

/**
 * A loaded model that explains whole batches: what {@link ModelHandle} swaps. The production
 * implementation wraps a {@code CandorModel} and its {@code Explainer}; tests may supply a fake.
 */
public interface BatchModel extends AutoCloseable {

  /**
   * The version every prediction made by this model carries.
   *
   * @return the version string
   */
  String version();

  /**
   * SHA-256 of the bundle's {@code MANIFEST.sha256}, identifying the bundle; used to skip an update
   * that announces the bundle already running.
   *
   * @return lower-case hex, or empty if unknown
   */
  String manifestSha256();

  /**
   * The class names, index = logit position. A model update whose labels differ from the running
   * model's is refused: every consumer of the predictions relies on them.
   *
   * @return the labels, or an empty list if unknown (then no check is made)
   */
  default List<String> labels() {
    return List.of();
  }

  /**
   * Classifies and explains a batch as one padded batch.
   *
   * @param texts non-blank texts
   * @return one explanation per text, in order
   * @throws FatalModelException if the model itself is broken (engine failure): the stream stops
   * @throws RuntimeException if the model fails on these texts; the caller retries each alone and
   *     dead-letters a text that alone fails while the model works on others
   */
  List<Explanation> explain(List<String> texts);

  /**
   * Classifies a batch and explains the given class of each text.
   *
   * @param texts non-blank texts
   * @param targets class index per text, or {@code null} to explain each predicted class
   * @return one explanation per text, in order
   * @throws UnsupportedOperationException if targets are given and this model can only explain
   *     predicted classes (the default)
   * @throws RuntimeException as {@link #explain(List)}
   */
  default List<Explanation> explain(List<String> texts, int[] targets) {
    if (targets == null) {
      return explain(texts);
    }
    throw new UnsupportedOperationException(
        getClass().getName() + " can only explain each text's predicted class");
  }

  /**
   * Classifies a batch without explaining it (counterfactual re-runs). The default explains and
   * keeps the predictions; a real model overrides it with a forward-only pass.
   *
   * @param texts non-blank texts
   * @return one prediction per text, in order
   * @throws RuntimeException if the model fails
   */
  default List<Prediction> classify(List<String> texts) {
    return explain(texts).stream().map(Explanation::prediction).toList();
  }

  /** Frees the model's native memory and threads. */
  @Override
  void close();
}
