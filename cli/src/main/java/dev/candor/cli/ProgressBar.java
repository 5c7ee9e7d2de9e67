package dev.candor.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line terminal progress bar, redrawn at most every 200 ms. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final String label;
  private long lastDraw;

  ProgressBar(PrintWriter out, String label) {
    this.out = out;
    this.label = label;
  }

  void update(long done, long total, String detail, boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < 200_000_000L && done < total) {
      return;
    }
    lastDraw = now;
    double f = total == 0 ? 1 : Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(f * WIDTH);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    out.print(
        String.format(
            Locale.ROOT,
            "\r%s [%s] %3.0f%% %d/%d %s\u001b[K",
            label,
            bar,
            f * 100,
            done,
            total,
            detail));
    if (done >= total) {
      out.println();
    }
    out.flush();
  }

  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "--:--";
    }
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
