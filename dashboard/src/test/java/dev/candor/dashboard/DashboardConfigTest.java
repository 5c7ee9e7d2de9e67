package dev.candor.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DashboardConfigTest {
  private static final String HASH = "$2a$04$" + "a".repeat(53);

  private static Map<String, Object> base() {
    Map<String, Object> m = new HashMap<>();
    m.put(DashboardConfig.USERS_CONFIG, "alice:reviewer:" + HASH + ",root:admin:" + HASH);
    return m;
  }

  @Test
  void shouldParseUsersAndDefaults() {
    DashboardConfig c = new DashboardConfig(base());
    assertEquals(2, c.users().size());
    assertEquals(DashboardConfig.Role.ADMIN, c.users().get(1).role());
    assertEquals(8080, c.port());
    assertEquals("candor.flags", c.topics().flags().name());
    assertTrue(c.dbUrl().startsWith("jdbc:h2:file:"));
  }

  @Test
  void shouldApplyEnvironmentOverrides() {
    DashboardConfig c =
        DashboardConfig.fromProperties(
            base(), Map.of("CANDOR_DASHBOARD_PORT", "9999", "CANDOR_TOPIC_FLAGS", "my.flags"));
    assertEquals(9999, c.port());
    assertEquals("my.flags", c.topics().flags().name());
  }

  @Test
  void shouldRefuseInvalidSettingsAtStart() {
    assertTrue(message(Map.of()).contains("No way to log in"));
    assertTrue(
        message(with(DashboardConfig.USERS_CONFIG, "alice:boss:" + HASH))
            .contains("reviewer or admin"));
    assertTrue(
        message(with(DashboardConfig.USERS_CONFIG, "alice:reviewer:plaintext")).contains("bcrypt"));
    assertTrue(
        message(with(DashboardConfig.USERS_CONFIG, "a:reviewer:" + HASH + ",a:admin:" + HASH))
            .contains("twice"));
    assertTrue(
        message(with(DashboardConfig.USERS_CONFIG, "bad name:reviewer:" + HASH))
            .contains("user names"));
    assertTrue(
        message(with(DashboardConfig.PORT_CONFIG, "70000")).contains("candor.dashboard.port"));
    assertTrue(
        message(with(DashboardConfig.DB_URL_CONFIG, "jdbc:mysql://x/y")).contains("jdbc:h2"));
    assertTrue(message(with("candor.dashboard.prot", "1")).contains("Unknown configuration key"));
    Map<String, Object> token = new HashMap<>();
    token.put(DashboardConfig.TOKEN_CONFIG, "short");
    assertTrue(message(token).contains("at least 16"));
    token.put(DashboardConfig.TOKEN_CONFIG, "long-enough-token-123");
    assertEquals("long-enough-token-123", new DashboardConfig(token).token());
  }

  private static Map<String, Object> with(String k, String v) {
    Map<String, Object> m = base();
    m.put(k, v);
    return m;
  }

  private static String message(Map<String, Object> props) {
    return assertThrows(ConfigException.class, () -> new DashboardConfig(props)).getMessage();
  }
}
