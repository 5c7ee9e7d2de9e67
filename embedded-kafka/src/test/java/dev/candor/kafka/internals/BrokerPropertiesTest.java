package dev.candor.kafka.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

  @Test
  void shouldConfigureSingleNodeKraftOnLoopback() {
    Properties p = BrokerProperties.build(9092, 9093, Path.of("/tmp/k"), Map.of());

    assertEquals("broker,controller", p.getProperty("process.roles"));
    assertEquals("1@127.0.0.1:9093", p.getProperty("controller.quorum.voters"));
    assertEquals(
        "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", p.getProperty("listeners"));
    assertEquals("PLAINTEXT://127.0.0.1:9092", p.getProperty("advertised.listeners"));
    assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
    assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
  }

  @Test
  void shouldLetOverridesWin() {
    Properties p =
        BrokerProperties.build(
            1,
            2,
            Path.of("/tmp/k"),
            Map.of("auto.create.topics.enable", true, "log.retention.ms", 60_000));

    assertEquals("true", p.getProperty("auto.create.topics.enable"));
    assertEquals("60000", p.getProperty("log.retention.ms"));
  }

  @Test
  void shouldPickBindablePorts() throws Exception {
    int a = FreePorts.pick();
    int b = FreePorts.pick();

    assertNotEquals(0, a);
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), a));
      assertEquals(a, s.getLocalPort());
    }
    assertNotEquals(0, b);
  }
}
