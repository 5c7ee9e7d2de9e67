package dev.candor.model.nn;

import dev.candor.model.config.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The tensors a classifier needs, by Hugging Face BERT name, with their shapes.
 *
 * <p>The B-cos model has no biases, no LayerNorm β and no pooler; the conventional model has all of
 * them. These names are the on-disk format (a bundle's {@code model.safetensors}), so the names
 * stay Hugging Face's while the code addresses tensors through {@link ModelParameters}. Importers
 * of other families (DistilBERT, RoBERTa) rename into this layout.
 */
public final class ParameterLayout {
  private ParameterLayout() {}

  /** Supplies the tensor that has a given Hugging Face name and shape. */
  @FunctionalInterface
  public interface TensorSource<T> {
    T tensor(String name, long[] shape);
  }

  /**
   * The one mapping between Hugging Face BERT tensor names and {@link ModelParameters} fields: asks
   * {@code source} for every tensor {@code c} needs, in a fixed order (embeddings, layers, head),
   * and returns them by role. Optional tensors that the config does not have are not asked for and
   * are null.
   */
  public static <T> ModelParameters<T> bind(ModelConfig c, TensorSource<T> source) {
    boolean conv = !c.bcos();
    long h = c.hiddenSize();
    String e = "bert.embeddings.";
    EmbeddingParameters<T> embeddings =
        new EmbeddingParameters<>(
            source.tensor(e + "word_embeddings.weight", new long[] {c.vocabSize(), h}),
            source.tensor(e + "position_embeddings.weight", new long[] {c.maxPositions(), h}),
            c.typeVocabSize() > 0
                ? source.tensor(
                    e + "token_type_embeddings.weight", new long[] {c.typeVocabSize(), h})
                : null,
            layerNorm(source, e + "LayerNorm", h, conv));
    List<EncoderLayerParameters<T>> layers = new ArrayList<>(c.numLayers());
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "bert.encoder.layer." + i + ".";
      layers.add(
          new EncoderLayerParameters<>(
              linear(source, p + "attention.self.query", h, h, conv),
              linear(source, p + "attention.self.key", h, h, conv),
              linear(source, p + "attention.self.value", h, h, conv),
              linear(source, p + "attention.output.dense", h, h, conv),
              layerNorm(source, p + "attention.output.LayerNorm", h, conv),
              linear(source, p + "intermediate.dense", c.intermediateSize(), h, conv),
              linear(source, p + "output.dense", h, c.intermediateSize(), conv),
              layerNorm(source, p + "output.LayerNorm", h, conv)));
    }
    ClassifierHeadParameters<T> head =
        new ClassifierHeadParameters<>(
            conv ? linear(source, "bert.pooler.dense", h, h, true) : null,
            linear(source, "classifier", c.numLabels(), h, conv));
    return new ModelParameters<>(embeddings, layers, head);
  }

  /** Every tensor's name and shape, in {@link #bind} order. */
  public static Map<String, long[]> shapes(ModelConfig c) {
    Map<String, long[]> out = new LinkedHashMap<>();
    bind(
        c,
        (name, shape) -> {
          out.put(name, shape);
          return shape;
        });
    return out;
  }

  /** True for the randomly initialised head tensors that a pre-trained encoder does not carry. */
  public static boolean isHead(String name) {
    return name.startsWith("classifier.") || name.startsWith("bert.pooler.");
  }

  /**
   * Checks that {@code weights} holds exactly the layout's tensors (for a B-cos config, biases and
   * pooler of pre-trained weights are dropped as the conversion prescribes) with the right shapes,
   * after filling absent head tensors (pooler, classifier) with N(0, 0.02) weights and zero biases
   * drawn from {@code seed}. Unknown, missing or mis-shaped tensors are named in the error.
   */
  public static Map<String, TensorData> complete(
      ModelConfig c, Map<String, TensorData> weights, long seed) {
    Map<String, long[]> expected = shapes(c);
    Map<String, TensorData> out = new LinkedHashMap<>();
    TreeSet<String> missing = new TreeSet<>();
    Random random = new Random(seed);
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      TensorData t = weights.get(e.getKey());
      if (t == null && isHead(e.getKey())) {
        t = initHead(e.getKey(), e.getValue(), random);
      }
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException(
            "tensor "
                + e.getKey()
                + " has shape "
                + t.shapeString()
                + " but the model config needs "
                + java.util.Arrays.toString(e.getValue()));
      }
      out.put(e.getKey(), t);
    }
    TreeSet<String> unknown = new TreeSet<>(weights.keySet());
    unknown.removeAll(expected.keySet());
    // Conversion to B-cos drops every bias, LayerNorm β and the pooler: those are expected extras.
    unknown.removeIf(n -> c.bcos() && (n.endsWith(".bias") || n.startsWith("bert.pooler.")));
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "weights do not match the model layout: missing "
              + (missing.isEmpty() ? "none" : missing)
              + "; unknown "
              + (unknown.isEmpty() ? "none" : unknown));
    }
    return out;
  }

  private static TensorData initHead(String name, long[] shape, Random random) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    if (name.endsWith(".weight")) {
      for (int i = 0; i < n; i++) {
        v[i] = (float) (random.nextGaussian() * 0.02);
      }
    }
    return new TensorData(shape, v);
  }

  private static <T> LinearParameters<T> linear(
      TensorSource<T> s, String p, long out, long in, boolean bias) {
    return new LinearParameters<>(
        s.tensor(p + ".weight", new long[] {out, in}),
        bias ? s.tensor(p + ".bias", new long[] {out}) : null);
  }

  private static <T> LayerNormParameters<T> layerNorm(
      TensorSource<T> s, String p, long h, boolean beta) {
    return new LayerNormParameters<>(
        s.tensor(p + ".weight", new long[] {h}),
        beta ? s.tensor(p + ".bias", new long[] {h}) : null);
  }
}
