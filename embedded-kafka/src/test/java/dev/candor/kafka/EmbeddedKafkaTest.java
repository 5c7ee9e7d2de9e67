package dev.candor.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argument and lifecycle checks that need no running broker. */
class EmbeddedKafkaTest {

  @Test
  void shouldRejectInvalidPort() {
    assertThrows(IllegalArgumentException.class, () -> EmbeddedKafka.builder().optPort(-1));
    assertThrows(IllegalArgumentException.class, () -> EmbeddedKafka.builder().optPort(65_536));
  }

  @Test
  void shouldRejectNullConfigValues() {
    Map<String, Object> withNull = Collections.singletonMap("log.retention.ms", null);

    assertThrows(
        NullPointerException.class, () -> EmbeddedKafka.builder().optBrokerConfig(withNull));
    assertThrows(NullPointerException.class, () -> EmbeddedKafka.builder().optDataDir(null));
  }

  @Test
  void shouldRefuseUseBeforeStart() {
    EmbeddedKafka kafka = EmbeddedKafka.builder().build();

    assertFalse(kafka.isRunning());
    assertThrows(IllegalStateException.class, kafka::bootstrapServers);
    assertThrows(IllegalStateException.class, () -> kafka.createTopic("t", 1, false));
    assertThrows(IllegalStateException.class, kafka::startupTime);
  }

  @Test
  void shouldRefuseStartAfterClose() {
    EmbeddedKafka kafka = EmbeddedKafka.builder().build();
    kafka.close();
    kafka.close(); // idempotent

    assertThrows(IllegalStateException.class, kafka::start);
  }
}
