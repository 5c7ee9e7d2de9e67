package dev.candor.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A dependency-free SVG line chart for sweeps (x = B, one series per metric). NaN points are gaps.
 * Series are drawn in the map's iteration order, so pass a LinkedHashMap to fix legend order.
 */
public final class SvgLinePlot {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
  };

  private SvgLinePlot() {}

  public static void write(
      Path file,
      String title,
      String xLabel,
      String yLabel,
      double[] x,
      Map<String, double[]> series)
      throws IOException {
    Files.writeString(file, render(title, xLabel, yLabel, x, series), StandardCharsets.UTF_8);
  }

  public static String render(
      String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series) {
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      if (e.getValue().length != x.length) {
        throw new IllegalArgumentException(
            "series "
                + e.getKey()
                + " has "
                + e.getValue().length
                + " points for "
                + x.length
                + " x values");
      }
    }
    Axis xs = Axis.of(x, LEFT, WIDTH - RIGHT);
    Axis ys =
        Axis.of(
            series.values().stream().flatMapToDouble(java.util.Arrays::stream).toArray(),
            HEIGHT - BOTTOM,
            TOP);
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    text(svg, (LEFT + WIDTH - RIGHT) / 2.0, 22, "middle", "font-size=\"15\"", title);
    text(svg, (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 15, "middle", "", xLabel);
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 18 %.1f)\">%s</text>%n",
            (TOP + HEIGHT - BOTTOM) / 2.0,
            (TOP + HEIGHT - BOTTOM) / 2.0,
            escape(yLabel)));
    axes(svg, xs, ys);
    int s = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      String color = COLORS[s % COLORS.length];
      line(svg, x, e.getValue(), xs, ys, color);
      double ly = TOP + 10 + 20 * s;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                  + "stroke=\"%s\" stroke-width=\"2\"/>%n",
              WIDTH - RIGHT + 15,
              ly,
              WIDTH - RIGHT + 35,
              ly,
              color));
      text(svg, WIDTH - RIGHT + 40, ly + 4, "start", "", e.getKey());
      s++;
    }
    return svg.append("</svg>\n").toString();
  }

  private static void axes(StringBuilder svg, Axis xs, Axis ys) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"black\"/>%n",
            LEFT,
            TOP,
            HEIGHT - BOTTOM,
            WIDTH - RIGHT));
    for (double t : xs.ticks()) {
      double px = xs.map(t);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" " + "stroke=\"black\"/>%n",
              px,
              HEIGHT - BOTTOM,
              px,
              HEIGHT - BOTTOM + 5));
      text(svg, px, HEIGHT - BOTTOM + 20, "middle", "", xs.label(t));
    }
    for (double t : ys.ticks()) {
      double py = ys.map(t);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" " + "stroke=\"#dddddd\"/>%n",
              LEFT,
              py,
              WIDTH - RIGHT,
              py));
      text(svg, LEFT - 8, py + 4, "end", "", ys.label(t));
    }
  }

  private static void line(
      StringBuilder svg, double[] x, double[] y, Axis xs, Axis ys, String color) {
    StringBuilder d = new StringBuilder();
    boolean penDown = false;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        penDown = false;
        continue;
      }
      d.append(
          String.format(
              Locale.ROOT, "%s%.1f %.1f ", penDown ? "L" : "M", xs.map(x[i]), ys.map(y[i])));
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
              xs.map(x[i]),
              ys.map(y[i]),
              color));
      penDown = true;
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
            d.toString().trim(),
            color));
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, String extra, String s) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n",
            x,
            y,
            anchor,
            extra,
            escape(s)));
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** A linear axis over "nice" tick values (1, 2 or 5 × 10^k steps) covering the data. */
  record Axis(double min, double max, double step, double pixelMin, double pixelMax) {

    static Axis of(double[] values, double pixelMin, double pixelMax) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : values) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      if (lo > hi) {
        lo = 0.0;
        hi = 1.0;
      } else if (lo == hi) {
        double pad = lo == 0.0 ? 1.0 : Math.abs(lo) * 0.1;
        lo -= pad;
        hi += pad;
      }
      double step = niceStep((hi - lo) / 5.0);
      return new Axis(
          Math.floor(lo / step + 1e-9) * step,
          Math.ceil(hi / step - 1e-9) * step,
          step,
          pixelMin,
          pixelMax);
    }

    static double niceStep(double raw) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / magnitude;
      return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    double map(double v) {
      return pixelMin + (v - min) / (max - min) * (pixelMax - pixelMin);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      long count = Math.round((max - min) / step);
      for (long i = 0; i <= count; i++) {
        ticks.add(min + i * step);
      }
      return ticks;
    }

    String label(double v) {
      int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
  }
}
