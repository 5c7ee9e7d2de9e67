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
 * <p>Parameters are held by layer and role ({@link ModelParameters}), bound from their Hugging Face
 * names by {@link ParameterLayout#bind}; the math is {@link BcosOps}.
 *
 * <p>Owns its parameters' native memory; callers run every batch inside an {@code NDScope} so that
 * intermediate arrays (which attach to the parameters' manager) are freed.
 */
public final class TransformerClassifier implements AutoCloseable {
  private static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final NDManager manager;
  private final ModelParameters<NDArray> params;
  // The same arrays by Hugging Face name: what the optimiser and snapshots need.
  private final Map<String, NDArray> byName;

  private TransformerClassifier(
      ModelConfig config,
      NDManager manager,
      ModelParameters<NDArray> params,
      Map<String, NDArray> byName) {
    this.config = config;
    this.manager = manager;
    this.params = params;
    this.byName = byName;
  }

  /**
   * Places a complete set of weights (see {@link ParameterLayout#complete}) on a device.
   *
   * @param dtype FLOAT32 for serving and training, FLOAT64 for exactness tests
   */
  public static TransformerClassifier create(
      ModelConfig config, Map<String, TensorData> weights, Device device, DataType dtype) {
    NDManager manager = NDManager.newBaseManager(device);
    Map<String, NDArray> byName = new LinkedHashMap<>();
    try {
      ModelParameters<NDArray> params =
          ParameterLayout.bind(
              config,
              (name, shape) -> {
                TensorData t = weights.get(name);
                if (t == null) {
                  throw new IllegalArgumentException("missing tensor " + name);
                }
                NDArray a = manager.create(t.values(), new Shape(t.shape()));
                if (dtype != DataType.FLOAT32) {
                  a = a.toType(dtype, false);
                }
                a.setName(name);
                byName.put(name, a);
                return a;
              });
      return new TransformerClassifier(config, manager, params, byName);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public ModelConfig config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  public DataType dtype() {
    return params.embeddings().words().getDataType();
  }

  /**
   * Parameters by Hugging Face name, in layout order (live arrays: the optimiser updates them in
   * place; the names decide which ones get weight decay).
   */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(byName);
  }

  /** Copies the parameters out of native memory as float32. */
  public Map<String, TensorData> snapshot() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : byName.entrySet()) {
      NDArray a = e.getValue();
      try (NDArray f = a.toType(DataType.FLOAT32, true)) {
        out.put(e.getKey(), new TensorData(a.getShape().getShape(), f.toFloatArray()));
      }
    }
    return out;
  }

  /**
   * The token ids of a padded batch as a {@code [batch, len]} int64 array on this model's device
   * (rows must have equal length; the matching mask comes from {@link #additiveMask}).
   */
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
    EmbeddingParameters<NDArray> e = params.embeddings();
    NDArray words = Embedding.embedding(ids, e.words(), SparseFormat.DENSE).singletonOrThrow();
    int from = config.positionOffset();
    NDArray x = words.add(e.positions().get(new NDIndex(from + ":" + (from + len))));
    if (e.tokenTypes() != null) {
      x = x.add(e.tokenTypes().get(0)); // single-segment input: token type 0 everywhere
    }
    return layerNorm(e.norm(), x, explain);
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
    for (EncoderLayerParameters<NDArray> layer : params.layers()) {
      h = encoderLayer(layer, h, additiveMask, explain, attentionSink);
    }
    return h;
  }

  /** Logits from final hidden states: a B-cos linear on the first position, or pooler + linear. */
  public NDArray head(NDArray hidden, boolean explain) {
    NDArray first = hidden.get(new NDIndex(":, 0, :"));
    ClassifierHeadParameters<NDArray> head = params.head();
    if (config.bcos()) {
      return dense(head.classifier(), first, explain);
    }
    LinearParameters<NDArray> pooler = head.pooler();
    NDArray pooled = BcosOps.linear(first, pooler.weight(), pooler.bias()).tanh();
    return dense(head.classifier(), pooled, explain);
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
      EncoderLayerParameters<NDArray> l,
      NDArray x,
      NDArray mask,
      boolean explain,
      Consumer<NDArray> attentionSink) {
    Shape s = x.getShape();
    long batch = s.get(0);
    long len = s.get(1);
    int heads = config.numHeads();
    int headSize = config.headSize();
    NDArray q = heads(projection(l.query(), x), batch, len, heads, headSize);
    NDArray k = heads(projection(l.key(), x), batch, len, heads, headSize);
    NDArray v = heads(projection(l.value(), x), batch, len, heads, headSize);
    NDArray probs = BcosOps.attentionProbabilities(q, k, mask);
    if (attentionSink != null) {
      attentionSink.accept(probs);
    }
    NDArray context =
        BcosOps.attend(probs, v, explain)
            .transpose(0, 2, 1, 3)
            .reshape(batch, len, config.hiddenSize());
    NDArray attended =
        layerNorm(l.attentionNorm(), dense(l.attentionOutput(), context, explain).add(x), explain);
    NDArray inner = BcosOps.gelu(dense(l.intermediate(), attended, explain), explain);
    return layerNorm(l.outputNorm(), dense(l.output(), inner, explain).add(attended), explain);
  }

  private static NDArray heads(NDArray x, long batch, long len, int heads, int headSize) {
    return x.reshape(batch, len, heads, headSize).transpose(0, 2, 1, 3);
  }

  /** Q, K, V: plain linear maps, without bias in the B-cos model. */
  private static NDArray projection(LinearParameters<NDArray> p, NDArray x) {
    return BcosOps.linear(x, p.weight(), p.bias());
  }

  /** Attention output, feed-forward and classifier linears: B-cos in the B-cos model. */
  private NDArray dense(LinearParameters<NDArray> p, NDArray x, boolean explain) {
    if (config.bcos()) {
      return BcosOps.bcosLinear(x, p.weight(), config.b(), explain);
    }
    return BcosOps.linear(x, p.weight(), p.bias());
  }

  private NDArray layerNorm(LayerNormParameters<NDArray> p, NDArray x, boolean explain) {
    return BcosOps.layerNorm(x, p.gain(), p.beta(), config.layerNormEps(), explain);
  }

  @Override
  public void close() {
    manager.close();
  }
}
