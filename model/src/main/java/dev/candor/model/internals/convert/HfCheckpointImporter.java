package dev.candor.model.internals.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.config.ModelConfig.Architecture;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports a local Hugging Face checkpoint directory ({@code config.json}, {@code
 * model.safetensors}, {@code tokenizer.json}) of a BERT, DistilBERT or RoBERTa encoder, renaming
 * its tensors into the BERT layout. Pre-training heads are ignored; a task head is trained anew.
 */
public final class HfCheckpointImporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DISTIL_LAYER =
      Pattern.compile("transformer\\.layer\\.(\\d+)\\.(.+)");
  private static final Map<String, String> DISTIL_PARTS =
      Map.of(
          "attention.q_lin", "attention.self.query",
          "attention.k_lin", "attention.self.key",
          "attention.v_lin", "attention.self.value",
          "attention.out_lin", "attention.output.dense",
          "sa_layer_norm", "attention.output.LayerNorm",
          "ffn.lin1", "intermediate.dense",
          "ffn.lin2", "output.dense",
          "output_layer_norm", "output.LayerNorm");

  private HfCheckpointImporter() {}

  /** What an import yields: the architecture, encoder weights, tokenizer bytes and checksum. */
  public record Checkpoint(
      ModelConfig config,
      Map<String, TensorData> weights,
      byte[] tokenizer,
      String weightsSha256) {}

  public static Checkpoint load(
      Path dir, boolean bcos, double b, List<String> labels, int maxLength) throws IOException {
    Path configFile = require(dir, "config.json");
    Path weightsFile = require(dir, "model.safetensors");
    Path tokenizerFile = require(dir, "tokenizer.json");
    JsonNode hf = JSON.readTree(configFile.toFile());
    ModelConfig config = config(hf, bcos, b, labels, maxLength, dir);
    Map<String, TensorData> weights = rename(config.architecture(), SafeTensors.read(weightsFile));
    return new Checkpoint(
        config, weights, Files.readAllBytes(tokenizerFile), Hashing.sha256(weightsFile));
  }

  private static Path require(Path dir, String name) throws IOException {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IOException(
          "not a Hugging Face checkpoint directory: "
              + p
              + " is missing (need config.json,"
              + " model.safetensors and tokenizer.json)");
    }
    return p;
  }

  static ModelConfig config(
      JsonNode hf, boolean bcos, double b, List<String> labels, int maxLength, Path dir)
      throws IOException {
    String type = hf.path("model_type").asText("").toLowerCase(Locale.ROOT);
    Architecture arch =
        switch (type) {
          case "bert" -> Architecture.BERT;
          case "distilbert" -> Architecture.DISTILBERT;
          case "roberta" -> Architecture.ROBERTA;
          default ->
              throw new IOException(
                  dir
                      + "/config.json: model_type '"
                      + type
                      + "' is not supported (bert, distilbert,"
                      + " roberta)");
        };
    ModelConfig.Builder head =
        ModelConfig.builder()
            .optBcos(bcos)
            .optB(b)
            .setLabels(labels)
            .setMaxLength(maxLength)
            .optBaseModel(dir.toString());
    if (arch == Architecture.DISTILBERT) {
      return head.optArchitecture(arch)
          .setVocabSize(req(hf, "vocab_size"))
          .setHiddenSize(req(hf, "dim"))
          .setNumLayers(req(hf, "n_layers"))
          .setNumHeads(req(hf, "n_heads"))
          .setIntermediateSize(req(hf, "hidden_dim"))
          .setMaxPositions(req(hf, "max_position_embeddings"))
          .optTypeVocabSize(0) // DistilBERT has no token-type table
          .build();
    }
    return head.optArchitecture(arch)
        .setVocabSize(req(hf, "vocab_size"))
        .setHiddenSize(req(hf, "hidden_size"))
        .setNumLayers(req(hf, "num_hidden_layers"))
        .setNumHeads(req(hf, "num_attention_heads"))
        .setIntermediateSize(req(hf, "intermediate_size"))
        .setMaxPositions(req(hf, "max_position_embeddings"))
        .optTypeVocabSize(hf.path("type_vocab_size").asInt(2))
        // RoBERTa's position ids start after its padding index
        .optPositionOffset(arch == Architecture.ROBERTA ? hf.path("pad_token_id").asInt(1) + 1 : 0)
        .optLayerNormEps(hf.path("layer_norm_eps").asDouble(1e-12))
        .build();
  }

  private static int req(JsonNode hf, String key) throws IOException {
    if (!hf.hasNonNull(key)) {
      throw new IOException("config.json has no '" + key + "'");
    }
    return hf.get(key).asInt();
  }

  /** Renames into the BERT layout; unknown tensors are kept so that validation names them. */
  static Map<String, TensorData> rename(Architecture arch, Map<String, TensorData> in) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    TreeSet<String> ignored = new TreeSet<>();
    for (Map.Entry<String, TensorData> e : in.entrySet()) {
      String name = e.getKey().replace(".gamma", ".weight").replace(".beta", ".bias");
      String mapped = mapName(arch, name);
      if (mapped == null) {
        ignored.add(e.getKey());
      } else {
        out.put(mapped, e.getValue());
      }
    }
    if (!ignored.isEmpty()) {
      org.slf4j.LoggerFactory.getLogger(HfCheckpointImporter.class)
          .info("ignoring pre-training / task head tensors: {}", ignored);
    }
    return out;
  }

  private static String mapName(Architecture arch, String name) {
    if (name.endsWith("position_ids")
        || name.startsWith("cls.")
        || name.startsWith("lm_head.")
        || name.startsWith("vocab_")
        || name.startsWith("pre_classifier.")
        || name.startsWith("classifier.")) {
      return null;
    }
    return switch (arch) {
      case BERT -> "bert." + strip(name, "bert.");
      case ROBERTA -> "bert." + strip(name, "roberta.");
      case DISTILBERT -> distil(strip(name, "distilbert."));
    };
  }

  private static String distil(String name) {
    if (name.startsWith("embeddings.")) {
      return "bert." + name;
    }
    Matcher m = DISTIL_LAYER.matcher(name);
    if (m.matches()) {
      for (Map.Entry<String, String> part : DISTIL_PARTS.entrySet()) {
        if (m.group(2).startsWith(part.getKey() + ".")) {
          return "bert.encoder.layer."
              + m.group(1)
              + "."
              + part.getValue()
              + m.group(2).substring(part.getKey().length());
        }
      }
    }
    return name; // unknown: reported by the layout check
  }

  private static String strip(String name, String prefix) {
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }
}
