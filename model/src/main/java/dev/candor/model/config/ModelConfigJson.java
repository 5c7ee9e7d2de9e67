package dev.candor.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.model.config.ModelConfig.Architecture;
import dev.candor.model.config.ModelConfig.SpecialTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link ModelConfig} as {@code config.json}: Hugging Face BERT key names wherever one exists
 * ({@code hidden_size}, {@code id2label}, …, {@code model_type: "bert"}, since the weights are
 * always stored in the BERT layout), a {@code bcos} section ({@code enabled}, {@code b}) and a
 * {@code candor} section for what Hugging Face has no key for (source family, position offset,
 * maximum length, special tokens, base model). Bundles written before this format (Candor's
 * camel-case record names) are still read.
 */
final class ModelConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelConfigJson() {}

  static JsonNode write(ModelConfig c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("model_type", "bert");
    // B-cos layers are not the stock BERT math: say so, so that no tool loads them as plain BERT
    o.putArray("architectures")
        .add(c.bcos() ? "BcosBertForSequenceClassification" : "BertForSequenceClassification");
    o.put("vocab_size", c.vocabSize());
    o.put("hidden_size", c.hiddenSize());
    o.put("num_hidden_layers", c.numLayers());
    o.put("num_attention_heads", c.numHeads());
    o.put("intermediate_size", c.intermediateSize());
    o.put("max_position_embeddings", c.maxPositions());
    o.put("type_vocab_size", c.typeVocabSize());
    o.put("layer_norm_eps", c.layerNormEps());
    o.put("hidden_act", "gelu");
    ObjectNode id2label = o.putObject("id2label");
    ObjectNode label2id = o.putObject("label2id");
    for (int i = 0; i < c.labels().size(); i++) {
      id2label.put(String.valueOf(i), c.labels().get(i));
      label2id.put(c.labels().get(i), i);
    }
    ObjectNode bcos = o.putObject("bcos");
    bcos.put("enabled", c.bcos());
    bcos.put("b", c.b());
    ObjectNode candor = o.putObject("candor");
    candor.put("source_model_type", c.architecture().name().toLowerCase(Locale.ROOT));
    candor.put("position_offset", c.positionOffset());
    candor.put("max_length", c.maxLength());
    candor.set("special_tokens", JSON.valueToTree(c.specialTokens()));
    candor.put("base_model", c.baseModel());
    return o;
  }

  static ModelConfig read(JsonNode j) {
    if (j.has("hidden_size")) {
      return readHuggingFaceStyle(j);
    }
    if (j.has("hiddenSize")) {
      return readHuggingFaceStyle(fromOlderKeys(j));
    }
    throw new IllegalArgumentException(
        "config.json has neither 'hidden_size' (Hugging Face keys) nor 'hiddenSize'");
  }

  private static ModelConfig readHuggingFaceStyle(JsonNode j) {
    JsonNode bcos = j.path("bcos");
    JsonNode candor = j.path("candor");
    ModelConfig.Builder b =
        ModelConfig.builder()
            .optArchitecture(
                Architecture.valueOf(
                    candor.path("source_model_type").asText("bert").toUpperCase(Locale.ROOT)))
            .setVocabSize(required(j, "vocab_size").asInt())
            .setHiddenSize(required(j, "hidden_size").asInt())
            .setNumLayers(required(j, "num_hidden_layers").asInt())
            .setNumHeads(required(j, "num_attention_heads").asInt())
            .setIntermediateSize(required(j, "intermediate_size").asInt())
            .setMaxPositions(required(j, "max_position_embeddings").asInt())
            .optTypeVocabSize(required(j, "type_vocab_size").asInt())
            .optLayerNormEps(required(j, "layer_norm_eps").asDouble())
            .optBcos(required(bcos, "enabled").asBoolean())
            .optB(required(bcos, "b").asDouble())
            .setLabels(labels(required(j, "id2label")))
            .optPositionOffset(required(candor, "position_offset").asInt())
            .setMaxLength(required(candor, "max_length").asInt())
            .optBaseModel(candor.path("base_model").asText(null));
    JsonNode tokens = candor.path("special_tokens");
    if (!tokens.isMissingNode()) {
      b.optSpecialTokens(
          new SpecialTokens(
              required(tokens, "cls").asText(),
              required(tokens, "sep").asText(),
              required(tokens, "pad").asText(),
              required(tokens, "mask").asText()));
    }
    return b.build();
  }

  /** id2label's keys must be 0 … n-1 (in any order). */
  private static List<String> labels(JsonNode id2label) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < id2label.size(); i++) {
      out.add(required(id2label, String.valueOf(i)).asText());
    }
    return out;
  }

  private static JsonNode required(JsonNode parent, String key) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("config.json has no '" + key + "'");
    }
    return v;
  }

  /** Older camel-case keys (the record's component names) → the Hugging Face key names. */
  private static final Map<String, String> TOP_LEVEL_KEYS =
      Map.of(
          "vocabSize", "vocab_size",
          "hiddenSize", "hidden_size",
          "numLayers", "num_hidden_layers",
          "numHeads", "num_attention_heads",
          "intermediateSize", "intermediate_size",
          "maxPositions", "max_position_embeddings",
          "typeVocabSize", "type_vocab_size",
          "layerNormEps", "layer_norm_eps");

  /**
   * Rewrites a config.json of the older format (written before the Hugging Face key names) into the
   * current one, so that one reader validates both.
   */
  private static JsonNode fromOlderKeys(JsonNode old) {
    ObjectNode o = JSON.createObjectNode();
    TOP_LEVEL_KEYS.forEach((from, to) -> o.set(to, old.get(from)));
    ObjectNode id2label = o.putObject("id2label");
    JsonNode labels = old.path("labels");
    for (int i = 0; i < labels.size(); i++) {
      id2label.set(String.valueOf(i), labels.get(i));
    }
    ObjectNode bcos = o.putObject("bcos");
    bcos.set("enabled", old.get("bcos"));
    bcos.set("b", old.get("b"));
    ObjectNode candor = o.putObject("candor");
    candor.put(
        "source_model_type", old.path("architecture").asText("bert").toLowerCase(Locale.ROOT));
    candor.set("position_offset", old.get("positionOffset"));
    candor.set("max_length", old.get("maxLength"));
    candor.set("base_model", old.get("baseModel"));
    if (old.hasNonNull("specialTokens")) {
      candor.set("special_tokens", old.get("specialTokens"));
    }
    return o;
  }
}
