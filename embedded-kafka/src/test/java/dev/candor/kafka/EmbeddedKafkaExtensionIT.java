package dev.candor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs sample test classes through the JUnit engine to check that the extension starts one broker
 * per class, injects it, shares it with nested classes and closes it afterwards.
 */
@Tag("integration")
@Timeout(120)
class EmbeddedKafkaExtensionIT {

  /** Brokers seen by the samples, for assertions after the engine run. */
  static final Set<EmbeddedKafka> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Test
  void shouldStartOneBrokerPerClassAndCloseItAfterwards() {
    SEEN.clear();

    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(DeclarativeSample.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(3).succeeded(3));

    assertEquals(1, SEEN.size(), "one broker shared by the class and its nested class");
    assertFalse(SEEN.iterator().next().isRunning(), "broker closed after the class");
  }

  @Test
  void shouldApplyBrokerConfigOfRegisteredExtension() {
    SEEN.clear();

    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(ProgrammaticSample.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(1).succeeded(1));

    assertFalse(SEEN.iterator().next().isRunning());
  }

  // The samples are run only through EngineTestKit; surefire skips them (names do not match).

  @ExtendWith(EmbeddedKafkaExtension.class)
  static class DeclarativeSample {
    @Test
    void first(EmbeddedKafka kafka) throws Exception {
      SEEN.add(kafka);
      kafka.createTopic("sample", 1, false);
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertTrue(admin.listTopics().names().get().contains("sample"));
      }
    }

    @Test
    void second(EmbeddedKafka kafka) {
      SEEN.add(kafka);
      assertTrue(kafka.isRunning());
    }

    @Nested
    class Inner {
      @Test
      void nested(EmbeddedKafka kafka) {
        SEEN.add(kafka);
        assertTrue(kafka.isRunning());
      }
    }
  }

  static class ProgrammaticSample {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA =
        new EmbeddedKafkaExtension(Map.of("auto.create.topics.enable", "true"));

    @Test
    void usesStaticField(EmbeddedKafka injected) {
      SEEN.add(injected);
      assertSame(KAFKA.kafka(), injected);
      assertNotNull(KAFKA.bootstrapServers());
    }
  }
}
