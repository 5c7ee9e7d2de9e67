package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The files under monitoring/: Prometheus config and rules pass promtool (its syntax and unit
 * checks), every alert has a promtool unit test that expects it to fire, and the Grafana dashboard
 * is wired to the provisioned datasource. The scrape-backed checks are in {@link MonitoringIT}.
 */
class MonitoringRulesTest {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldPassPromtoolCheckConfig() throws Exception {
    String out = promtool("check", "config", RepoFiles.monitoring("prometheus/prometheus.yml"));
    // The config's rule_files glob is resolved too, so the rules are counted here.
    assertTrue(out.contains("SUCCESS: " + AlertRules.load().size() + " rules found"), out);
  }

  @Test
  void shouldPassPromtoolCheckRules() throws Exception {
    for (Path f : AlertRules.files()) {
      String out = promtool("check", "rules", f);
      assertTrue(out.contains("SUCCESS"), out);
    }
  }

  @Test
  void shouldPassPromtoolUnitTests() throws Exception {
    String out =
        promtool("test", "rules", RepoFiles.monitoring("prometheus/rules/candor.rules.test.yml"));
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void shouldHaveAFiringUnitTestForEveryAlert() throws IOException {
    JsonNode tests =
        YAML.readTree(RepoFiles.monitoring("prometheus/rules/candor.rules.test.yml").toFile());
    Set<String> fired = new HashSet<>();
    for (JsonNode t : tests.path("tests")) {
      for (JsonNode a : t.path("alert_rule_test")) {
        if (a.path("exp_alerts").size() > 0) {
          fired.add(a.get("alertname").asText());
        }
      }
    }
    Set<String> alerts = new TreeSet<>();
    for (AlertRules.Rule r : AlertRules.load()) {
      alerts.add(r.alert());
    }
    assertTrue(alerts.size() >= 10, "alerts: " + alerts);
    Set<String> untested = new TreeSet<>(alerts);
    untested.removeAll(fired);
    assertTrue(untested.isEmpty(), "alerts without a firing promtool test: " + untested);
    Set<String> unknown = new TreeSet<>(fired);
    unknown.removeAll(alerts);
    assertTrue(unknown.isEmpty(), "tests of alerts that do not exist: " + unknown);
  }

  @Test
  void shouldNameAMetricInEveryAlertExpression() {
    for (AlertRules.Rule r : AlertRules.load()) {
      assertFalse(PromQl.metricNames(r.expr()).isEmpty(), r.alert() + ": " + r.expr());
    }
  }

  @Test
  void shouldWireEveryPanelToTheProvisionedDatasource() throws IOException {
    JsonNode ds =
        YAML.readTree(
            RepoFiles.monitoring("grafana/provisioning/datasources/prometheus.yml").toFile());
    String uid = ds.get("datasources").get(0).get("uid").asText();
    JsonNode dashboard =
        JSON.readTree(RepoFiles.monitoring("grafana/dashboards/candor-stream.json").toFile());
    List<JsonNode> panels = GrafanaDashboards.panels(dashboard);
    assertTrue(panels.size() >= 9, "panels: " + panels.size());
    Set<Integer> ids = new HashSet<>();
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : panels) {
      String title = panel.get("title").asText();
      titles.add(title);
      assertTrue(ids.add(panel.get("id").asInt()), "duplicate panel id in " + title);
      assertEquals(uid, panel.get("datasource").get("uid").asText(), title);
      assertTrue(panel.get("targets").size() > 0, title + " has no query");
      for (JsonNode t : panel.get("targets")) {
        assertFalse(PromQl.metricNames(t.get("expr").asText()).isEmpty(), title + ": " + t);
      }
    }
    for (String needed :
        List.of(
            "Throughput",
            "latency",
            "lag",
            "Batch size",
            "Buffered",
            "detector",
            "Dead letters",
            "Model version",
            "CPU")) {
      assertTrue(
          titles.stream().anyMatch(t -> t.toLowerCase().contains(needed.toLowerCase())),
          "no panel about " + needed + " in " + titles);
    }
  }

  private static String promtool(String cmd, String sub, Path file) throws Exception {
    assumeTrue(
        Files.isExecutable(PROMTOOL),
        "promtool is not installed here (Debian package prometheus; scripts/ci-prometheus.sh"
            + " installs it and .ci/run calls that script)");
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), cmd, sub, file.getFileName().toString())
            .directory(file.getParent().toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool hung");
    assertEquals(0, p.exitValue(), "promtool " + cmd + " " + sub + " " + file + ":\n" + out);
    return out;
  }
}
