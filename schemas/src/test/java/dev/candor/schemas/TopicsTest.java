package dev.candor.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.avro.ModelUpdate;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldUseDefaultNames() {
    Topics t = Topics.defaults();

    assertEquals("candor.texts", t.texts().name());
    assertEquals("candor.predictions", t.predictions().name());
    assertEquals("candor.flags", t.flags().name());
    assertEquals("candor.feedback", t.feedback().name());
    assertEquals("candor.model-updates", t.modelUpdates().name());
    assertEquals("candor.dead-letters", t.deadLetters().name());
    assertEquals(
        List.of(
            "candor.texts",
            "candor.predictions",
            "candor.flags",
            "candor.feedback",
            "candor.model-updates",
            "candor.dead-letters"),
        List.copyOf(t.names().values()));
  }

  @Test
  void shouldApplyPrefixAndOverrides() {
    Topics t = Topics.builder().optPrefix("it-7.").optName(TopicKind.TEXTS, "raw-input").build();

    assertEquals("raw-input", t.texts().name());
    assertEquals("it-7.predictions", t.predictions().name());
    assertEquals("it-7.dead-letters", t.name(TopicKind.DEAD_LETTERS));
  }

  @Test
  void shouldRefuseTwoRolesOnOneTopic() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Topics.builder().optName(TopicKind.FLAGS, "candor.predictions").build());

    assertTrue(e.getMessage().contains("PREDICTIONS and FLAGS"), e.getMessage());
  }

  @Test
  void shouldRefuseIllegalTopicName() {
    assertThrows(
        IllegalArgumentException.class, () -> Topics.builder().optPrefix("bad prefix ").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> new CandorTopic<>("..", Serdes.String(), Serdes.String()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CandorTopic<>("x".repeat(250), Serdes.String(), Serdes.String()));
    assertThrows(NullPointerException.class, () -> new CandorTopic<>("ok", null, Serdes.String()));
  }

  @Test
  void shouldPairTopicsWithWorkingSerdes() {
    Topics t = Topics.defaults();
    String topic = t.modelUpdates().name();
    ModelUpdate update = Samples.modelUpdate();

    byte[] key = t.modelUpdates().keySerde().serializer().serialize(topic, "candor-minilm");
    byte[] value = t.modelUpdates().valueSerde().serializer().serialize(topic, update);

    assertEquals(
        "candor-minilm", t.modelUpdates().keySerde().deserializer().deserialize(topic, key));
    assertEquals(update, t.modelUpdates().valueSerde().deserializer().deserialize(topic, value));
    byte[] raw = {1, 2, 3};
    assertArrayEquals(
        raw,
        t.texts()
            .valueSerde()
            .deserializer()
            .deserialize("x", t.texts().valueSerde().serializer().serialize("x", raw)));
  }

  @Test
  void shouldKeepFeedbackForeverAndCompactModelUpdates() {
    assertEquals("-1", TopicKind.FEEDBACK.topicConfig().get("retention.ms"));
    assertEquals("compact", TopicKind.MODEL_UPDATES.topicConfig().get("cleanup.policy"));
    assertTrue(TopicKind.TEXTS.topicConfig().isEmpty());
  }

  @Test
  void shouldMarkOnlyModelUpdatesCompacted() {
    for (TopicKind kind : TopicKind.values()) {
      assertEquals(kind == TopicKind.MODEL_UPDATES, kind.compacted(), kind.name());
    }
    assertFalse(TopicKind.TEXTS.compacted());
  }
}
