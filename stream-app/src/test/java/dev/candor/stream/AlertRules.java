package dev.candor.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The alerting rules in monitoring/prometheus/rules/*.rules.yml. */
final class AlertRules {

  /**
   * The group whose metric the trainer must export; the stream app's scrape cannot hold it, so the
   * scrape checks skip it (promtool's unit tests still cover it).
   */
  static final String TRAINER_GROUP = "candor-trainer";

  /** One rule: its group, alert name and expression. */
  record Rule(String group, String alert, String expr) {}

  private AlertRules() {}

  static List<Path> files() {
    try (Stream<Path> s = Files.list(RepoFiles.monitoring("prometheus/rules"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".rules.yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Rule> load() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Rule> out = new ArrayList<>();
    for (Path f : files()) {
      try {
        for (JsonNode group : yaml.readTree(f.toFile()).path("groups")) {
          for (JsonNode rule : group.path("rules")) {
            out.add(
                new Rule(
                    group.get("name").asText(),
                    rule.path("alert").asText(rule.path("record").asText()),
                    rule.get("expr").asText()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(f.toString(), e);
      }
    }
    return out;
  }
}
