package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DashboardCommandTest {
  @Test
  void shouldPrintTheConfigReference() {
    CliTest.Run r = CliTest.run("dashboard", "--print-config-reference");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("candor.dashboard.port"), r.out());
    assertTrue(r.out().contains("candor.dashboard.users"), r.out());
  }

  @Test
  void shouldRefuseToStartWithoutUsers() {
    CliTest.Run r = CliTest.run("dashboard", "--set", "candor.dashboard.db.url=jdbc:h2:mem:x");
    assertTrue(r.code() != 0);
    assertTrue(r.err().contains("No way to log in"), r.err());
  }

  @Test
  void shouldHashAPasswordFromStandardInput() {
    InputStream in = System.in;
    try {
      System.setIn(new ByteArrayInputStream("a long password\n".getBytes(StandardCharsets.UTF_8)));
      CliTest.Run r = CliTest.run("dashboard", "hash-password");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().strip().matches("\\$2a\\$12\\$[./A-Za-z0-9]{53}"), r.out());
    } finally {
      System.setIn(in);
    }
  }
}
