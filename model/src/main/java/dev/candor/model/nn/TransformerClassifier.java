package dev.candor.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.candor.model.config.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A BERT-family sequence classifier, B-cos or conventional, written with NDArray ops.
 *
 * <p>Shapes: token ids {@code [batch, len]} (int64); additive mask {@code [batch, 1, 1, len]};
 * embeddings and hidden states {@code [batch, len, hidden]}; logits {@code [batch, labels]}.
 *
 * <p>Owns its parameters' native memory; callers run every batch inside an {@code NDScope} so that
 * intermediate arrays (which attach to the parameters' manager) are freed.
 */
public final class TransformerClassifier implements AutoCloseable {
  private static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params;

  private TransformerClassifier(
      ModelConfig config, NDManager manager, Map<String, NDArray> params) {
    this.config = config;
    this.manager = manager;
    this.params = params;
  }

  /**
   * Places a complete set of weights (see {@link ParameterLayout#complete}) on a device.
   *
   * @param dtype FLOAT32 for serving and training, FLOAT64 for exactness tests
   */
  public static TransformerClassifier create(
      ModelConfig config, Map<String, TensorData> weights, Device device, DataType dtype) {
    NDManager manager = NDManager.newBaseManager(device);
    Map<String, NDArray> params = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, long[]> e : ParameterLayout.shapes(config).entrySet()) {
        TensorData t = weights.get(e.getKey());
        if (t == null) {
          throw new IllegalArgumentException("missing tensor " + e.getKey());
        }
        NDArray a = manager.create(t.values(), new Shape(t.shape()));
        if (dtype != DataType.FLOAT32) {
          a = a.toType(dtype, false);
        }
        a.setName(e.getKey());
        params.put(e.getKey(), a);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new TransformerClassifier(config, manager, params);
  }

  public ModelConfig config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  public DataType dtype() {
    return params.values().iterator().next().getDataType();
  }

  /** Parameters by name, in layout order (live arrays: the optimiser updates them in place). */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** Copies the parameters out of native memory as float32. */
  public Map<String, TensorData> snapshot() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray a = e.getValue();
      try (NDArray f = a.toType(DataType.FLOAT32, true)) {
        out.put(e.getKey(), new TensorData(a.getShape().getShape(), f.toFloatArray()));
      }
    }
    return out;
  }

  /** Token ids and mask for a padded batch. */
  public NDArray ids(long[][] tokenIds) {
    int batch = tokenIds.length;
    int len = tokenIds[0].length;
    long[] flat = new long[batch * len];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(tokenIds[i], 0, flat, i * len, len);
    }
    return manager.create(flat, new Shape(batch, len));
  }

  /** Additive attention mask: 0 where {@code position < length}, a large negative elsewhere. */
  public NDArray additiveMask(int[] lengths, int len) {
    float[] m = new float[lengths.length * len];
    for (int i = 0; i < lengths.length; i++) {
      for (int j = lengths[i]; j < len; j++) {
        m[i * len + j] = MASKED;
      }
    }
    NDArray mask = manager.create(m, new Shape(lengths.length, 1, 1, len));
    return dtype() == DataType.FLOAT32 ? mask : mask.toType(dtype(), false);
  }

  /** Word + position + token-type embeddings followed by the embeddings LayerNorm. */
  public NDArray embed(NDArray ids, boolean explain) {
    int len = (int) ids.getShape().get(1);
    NDArray words =
        Embedding.embedding(ids, p("bert.embeddings.word_embeddings.weight"), SparseFormat.DENSE)
            .singletonOrThrow();
    int from = config.positionOffset();
    NDArray x =
        words.add(
            p("bert.embeddings.position_embeddings.weight")
                .get(new NDIndex(from + ":" + (from + len))));
    if (config.typeVocabSize() > 0) {
      x = x.add(p("bert.embeddings.token_type_embeddings.weight").get(0));
    }
    return layerNorm("bert.embeddings.LayerNorm", x, explain);
  }

  /** The encoder stack applied to post-LayerNorm embeddings. */
  public NDArray encode(NDArray embeddings, NDArray additiveMask, boolean explain) {
    return encode(embeddings, additiveMask, explain, null);
  }

  /**
   * Per-layer attention probabilities of a forward pass (not explanation mode), for attention and
   * attention-rollout baselines.
   *
   * @return one {@code [batch, heads, len, len]} array per layer, first layer first; rows of padded
   *     queries are meaningless and keys beyond a text's length get ~0 probability
   */
  public List<NDArray> attentionProbabilities(NDArray ids, NDArray additiveMask) {
    List<NDArray> out = new ArrayList<>(config.numLayers());
    encode(embed(ids, false), additiveMask, false, out::add);
    return out;
  }

  private NDArray encode(
      NDArray embeddings, NDArray additiveMask, boolean explain, Consumer<NDArray> attentionSink) {
    NDArray h = embeddings;
    for (int i = 0; i < config.numLayers(); i++) {
      h = encoderLayer("bert.encoder.layer." + i + ".", h, additiveMask, explain, attentionSink);
    }
    return h;
  }

  /** Logits from final hidden states: a B-cos linear on the first position, or pooler + linear. */
  public NDArray head(NDArray hidden, boolean explain) {
    NDArray first = hidden.get(new NDIndex(":, 0, :"));
    if (config.bcos()) {
      return BcosOps.bcosLinear(first, p("classifier.weight"), config.b(), explain);
    }
    NDArray pooled =
        BcosOps.linear(first, p("bert.pooler.dense.weight"), p("bert.pooler.dense.bias")).tanh();
    return BcosOps.linear(pooled, p("classifier.weight"), p("classifier.bias"));
  }

  /** Logits from post-LayerNorm embeddings. */
  public NDArray logitsFromEmbeddings(NDArray embeddings, NDArray mask, boolean explain) {
    return head(encode(embeddings, mask, explain), explain);
  }

  /** Logits from token ids (no detaching: the training and serving path). */
  public NDArray logits(NDArray ids, NDArray mask) {
    return logitsFromEmbeddings(embed(ids, false), mask, false);
  }

  private NDArray encoderLayer(
      String p, NDArray x, NDArray mask, boolean explain, Consumer<NDArray> attentionSink) {
    Shape s = x.getShape();
    long batch = s.get(0);
    long len = s.get(1);
    int heads = config.numHeads();
    int headSize = config.headSize();
    NDArray q = heads(projection(p + "attention.self.query", x), batch, len, heads, headSize);
    NDArray k = heads(projection(p + "attention.self.key", x), batch, len, heads, headSize);
    NDArray v = heads(projection(p + "attention.self.value", x), batch, len, heads, headSize);
    NDArray probs = BcosOps.attentionProbabilities(q, k, mask);
    if (attentionSink != null) {
      attentionSink.accept(probs);
    }
    NDArray context =
        BcosOps.attend(probs, v, explain)
            .transpose(0, 2, 1, 3)
            .reshape(batch, len, config.hiddenSize());
    NDArray attended =
        layerNorm(
            p + "attention.output.LayerNorm",
            dense(p + "attention.output.dense", context, explain).add(x),
            explain);
    NDArray inner = BcosOps.gelu(dense(p + "intermediate.dense", attended, explain), explain);
    return layerNorm(
        p + "output.LayerNorm", dense(p + "output.dense", inner, explain).add(attended), explain);
  }

  private static NDArray heads(NDArray x, long batch, long len, int heads, int headSize) {
    return x.reshape(batch, len, heads, headSize).transpose(0, 2, 1, 3);
  }

  /** Q, K, V: plain linear maps, without bias in the B-cos model. */
  private NDArray projection(String name, NDArray x) {
    return BcosOps.linear(x, p(name + ".weight"), params.get(name + ".bias"));
  }

  /** Attention output and feed-forward linears: B-cos in the B-cos model. */
  private NDArray dense(String name, NDArray x, boolean explain) {
    if (config.bcos()) {
      return BcosOps.bcosLinear(x, p(name + ".weight"), config.b(), explain);
    }
    return BcosOps.linear(x, p(name + ".weight"), p(name + ".bias"));
  }

  private NDArray layerNorm(String name, NDArray x, boolean explain) {
    return BcosOps.layerNorm(
        x, p(name + ".weight"), params.get(name + ".bias"), config.layerNormEps(), explain);
  }

  private NDArray p(String name) {
    NDArray a = params.get(name);
    if (a == null) {
      throw new IllegalStateException("model has no tensor " + name);
    }
    return a;
  }

  @Override
  public void close() {
    manager.close();
  }
}
