package dev.candor.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.model.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldWriteHuggingFaceKeyNamesAndABcosSection() throws Exception {
    ModelConfig c = TestModels.tinyConfig(true, 1.5);
    JsonNode j = JSON.readTree(JSON.writeValueAsString(c));
    assertEquals("bert", j.get("model_type").asText());
    assertEquals("BcosBertForSequenceClassification", j.get("architectures").get(0).asText());
    assertEquals(30522, j.get("vocab_size").asInt());
    assertEquals(16, j.get("hidden_size").asInt());
    assertEquals(2, j.get("num_attention_heads").asInt());
    assertEquals(2, j.get("num_hidden_layers").asInt());
    assertEquals(32, j.get("intermediate_size").asInt());
    assertEquals(64, j.get("max_position_embeddings").asInt());
    assertEquals(2, j.get("type_vocab_size").asInt());
    assertEquals(1e-12, j.get("layer_norm_eps").asDouble());
    assertEquals("toxic", j.get("id2label").get("1").asText());
    assertEquals(0, j.get("label2id").get("normal").asInt());
    assertTrue(j.get("bcos").get("enabled").asBoolean());
    assertEquals(1.5, j.get("bcos").get("b").asDouble());
    assertEquals(32, j.get("candor").get("max_length").asInt());
    assertEquals(c, JSON.readValue(JSON.writeValueAsString(c), ModelConfig.class));
  }

  @Test
  void shouldRoundTripAConventionalRobertaConfig() throws Exception {
    ModelConfig c =
        TestModels.tinyConfig(false, 1.0).toBuilder()
            .optArchitecture(ModelConfig.Architecture.ROBERTA)
            .optSpecialTokens(ModelConfig.SpecialTokens.roberta())
            .optPositionOffset(2)
            .optTypeVocabSize(1)
            .setLabels(List.of("a", "b", "c"))
            .build();
    String text = JSON.writeValueAsString(c);
    assertEquals(
        "BertForSequenceClassification", JSON.readTree(text).get("architectures").get(0).asText());
    assertEquals(c, JSON.readValue(text, ModelConfig.class));
  }

  @Test
  void shouldStillReadTheOlderKeyNames() throws Exception {
    assertEquals(
        TestModels.tinyConfig(true, 1.5),
        JSON.readValue(TestModels.OLD_FORMAT_CONFIG_JSON, ModelConfig.class));
  }

  @Test
  void shouldNameTheMissingKeyOfAnIncompleteConfig() throws Exception {
    ModelConfig c = TestModels.tinyConfig(true, 1.5);
    ObjectNode j = (ObjectNode) JSON.readTree(JSON.writeValueAsString(c));
    j.remove("num_hidden_layers");
    Exception e = assertThrows(Exception.class, () -> JSON.treeToValue(j, ModelConfig.class));
    assertTrue(e.getMessage().contains("num_hidden_layers"), e.getMessage());
  }

  @Test
  void shouldValidateInBuild() {
    IllegalArgumentException noLabels =
        assertThrows(
            IllegalArgumentException.class,
            () -> TestModels.tinyConfig(true, 1.5).toBuilder().setLabels(null).build());
    assertTrue(noLabels.getMessage().contains("labels"), noLabels.getMessage());
    IllegalArgumentException noSizes =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelConfig.builder().setLabels(List.of("a", "b")).setMaxLength(8).build());
    assertTrue(noSizes.getMessage().contains("vocabSize"), noSizes.getMessage());
    IllegalArgumentException badB =
        assertThrows(
            IllegalArgumentException.class,
            () -> TestModels.tinyConfig(true, 1.5).toBuilder().optB(0.5).build());
    assertTrue(badB.getMessage().contains("b = 0.5"), badB.getMessage());
    assertEquals(
        TestModels.tinyConfig(true, 2.0), TestModels.tinyConfig(true, 2.0).toBuilder().build());
  }
}
