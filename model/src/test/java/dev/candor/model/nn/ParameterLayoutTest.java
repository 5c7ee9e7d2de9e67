package dev.candor.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterLayoutTest {

  @Test
  void shouldBindEveryHuggingFaceNameToItsRoleOnce() {
    ModelConfig c = TestModels.tinyConfig(false, 1.0);
    List<String> asked = new ArrayList<>();
    ModelParameters<String> p =
        ParameterLayout.bind(
            c,
            (name, shape) -> {
              asked.add(name);
              return name;
            });
    assertEquals(asked.size(), new HashSet<>(asked).size(), "a name was asked for twice");
    assertEquals(List.copyOf(ParameterLayout.shapes(c).keySet()), asked);
    EncoderLayerParameters<String> l1 = p.layers().get(1);
    assertEquals("bert.encoder.layer.1.attention.self.key.bias", l1.key().bias());
    assertEquals(
        "bert.encoder.layer.1.attention.output.dense.weight", l1.attentionOutput().weight());
    assertEquals("bert.encoder.layer.1.attention.output.LayerNorm.bias", l1.attentionNorm().beta());
    assertEquals("bert.encoder.layer.1.intermediate.dense.weight", l1.intermediate().weight());
    assertEquals("bert.encoder.layer.1.output.dense.bias", l1.output().bias());
    assertEquals("bert.encoder.layer.1.output.LayerNorm.weight", l1.outputNorm().gain());
    assertEquals("bert.embeddings.token_type_embeddings.weight", p.embeddings().tokenTypes());
    assertEquals("bert.embeddings.LayerNorm.weight", p.embeddings().norm().gain());
    assertEquals("bert.pooler.dense.weight", p.head().pooler().weight());
    assertEquals("classifier.bias", p.head().classifier().bias());
  }

  @Test
  void shouldLeaveBiasesBetaAndPoolerOutOfTheBcosModel() {
    ModelParameters<long[]> p =
        ParameterLayout.bind(TestModels.tinyConfig(true, 1.5), (name, shape) -> shape);
    EncoderLayerParameters<long[]> l0 = p.layers().get(0);
    assertNull(l0.query().bias());
    assertNull(l0.attentionOutput().bias());
    assertNull(l0.outputNorm().beta());
    assertNull(p.embeddings().norm().beta());
    assertNull(p.head().pooler());
    assertNull(p.head().classifier().bias());
    assertEquals(2, p.layers().size());
    assertEquals(32, l0.intermediate().weight()[0]);
    assertEquals(32, l0.output().weight()[1]);
  }
}
