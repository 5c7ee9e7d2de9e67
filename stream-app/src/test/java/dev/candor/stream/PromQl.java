package dev.candor.stream;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Metric names in a PromQL expression: every identifier with an exporter prefix. */
final class PromQl {

  // The families Candor's stream app exports (Micrometer names: dots → underscores), and
  // Prometheus' own per-target "up" when it is selected with labels.
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:candor|kafka|jvm|process|system)_[a-zA-Z0-9_]+|up(?=\\{))");

  private PromQl() {}

  static Set<String> metricNames(String expr) {
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
