package dev.candor.model.nn;

import dev.candor.model.config.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The tensors a classifier needs, by Hugging Face BERT name, with their shapes.
 *
 * <p>The B-cos model has no biases, no LayerNorm β and no pooler; the conventional model has all of
 * them. Importers of other families (DistilBERT, RoBERTa) rename into this layout.
 */
public final class ParameterLayout {
  private ParameterLayout() {}

  public static Map<String, long[]> shapes(ModelConfig c) {
    Map<String, long[]> s = new LinkedHashMap<>();
    boolean conv = !c.bcos();
    long h = c.hiddenSize();
    s.put("bert.embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
    s.put("bert.embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    if (c.typeVocabSize() > 0) {
      s.put("bert.embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    }
    layerNorm(s, "bert.embeddings.LayerNorm", h, conv);
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "bert.encoder.layer." + i + ".";
      for (String qkv : new String[] {"query", "key", "value"}) {
        dense(s, p + "attention.self." + qkv, h, h, conv);
      }
      dense(s, p + "attention.output.dense", h, h, conv);
      layerNorm(s, p + "attention.output.LayerNorm", h, conv);
      dense(s, p + "intermediate.dense", c.intermediateSize(), h, conv);
      dense(s, p + "output.dense", h, c.intermediateSize(), conv);
      layerNorm(s, p + "output.LayerNorm", h, conv);
    }
    if (conv) {
      dense(s, "bert.pooler.dense", h, h, true);
    }
    dense(s, "classifier", c.numLabels(), h, conv);
    return s;
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

  private static void dense(Map<String, long[]> s, String p, long out, long in, boolean bias) {
    s.put(p + ".weight", new long[] {out, in});
    if (bias) {
      s.put(p + ".bias", new long[] {out});
    }
  }

  private static void layerNorm(Map<String, long[]> s, String p, long h, boolean beta) {
    s.put(p + ".weight", new long[] {h});
    if (beta) {
      s.put(p + ".bias", new long[] {h});
    }
  }
}
