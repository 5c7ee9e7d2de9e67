package dev.candor.cli;

import dev.candor.model.train.ClassificationMetrics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Per-class precision / recall / F1 and the confusion matrix, as {@code train}/{@code evaluate}
 * print them.
 */
final class MetricsTable {
  private MetricsTable() {}

  static void print(PrintWriter out, ClassificationMetrics r, List<String> labels) {
    int width = 10;
    for (String l : labels) {
      width = Math.max(width, l.length());
    }
    String cell = "%" + (width + 1) + "s";
    out.printf(Locale.ROOT, cell, "class");
    out.printf(Locale.ROOT, " %9s %9s %9s %9s%n", "precision", "recall", "F1", "support");
    for (int c = 0; c < labels.size(); c++) {
      out.printf(Locale.ROOT, cell, labels.get(c));
      out.printf(
          Locale.ROOT,
          " %9.4f %9.4f %9.4f %9d%n",
          r.precision(c),
          r.recall(c),
          r.perClassF1()[c],
          r.support(c));
    }
    out.println("confusion (rows: true, columns: predicted)");
    out.printf(Locale.ROOT, cell, "");
    for (String l : labels) {
      out.printf(Locale.ROOT, cell, l);
    }
    out.println();
    for (int i = 0; i < labels.size(); i++) {
      out.printf(Locale.ROOT, cell, labels.get(i));
      for (int j = 0; j < labels.size(); j++) {
        out.printf(Locale.ROOT, "%" + (width + 1) + "d", r.confusion()[i][j]);
      }
      out.println();
    }
  }
}
