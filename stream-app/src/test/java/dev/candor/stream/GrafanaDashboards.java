package dev.candor.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the panel queries out of a Grafana dashboard JSON (rows' nested panels included). */
final class GrafanaDashboards {

  private GrafanaDashboards() {}

  /** Every {@code targets[].expr} of every panel, in order. */
  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    collect(dashboard.path("panels"), out);
    return out;
  }

  /** Every panel (rows' nested panels included), in order. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      out.add(panel);
      panel.path("panels").forEach(out::add);
    }
    return out;
  }

  private static void collect(JsonNode panels, List<String> out) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          out.add(target.get("expr").asText());
        }
      }
      collect(panel.path("panels"), out);
    }
  }

  /**
   * Replaces Grafana's variables with values Prometheus accepts, so a panel query can be run
   * through the plain query API.
   */
  static String substitute(String expr) {
    return expr.replace("$__rate_interval", "1m")
        .replace("$__interval", "15s")
        .replace("$application", ".*")
        .replace("$instance", ".*");
  }
}
