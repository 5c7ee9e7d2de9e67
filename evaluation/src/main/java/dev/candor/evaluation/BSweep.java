package dev.candor.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The B sweep of a report: task metrics and the {@code bcos} explainer's Comp, Suff and entropy of
 * every B-cos model against its B, as a table and three SVG line plots. Only reports with B-cos
 * models of at least two different B have a sweep.
 */
public final class BSweep {
  public static final String ACCURACY_PLOT = "bsweep-accuracy.svg";
  public static final String COMP_PLOT = "bsweep-comp.svg";
  public static final String ENTROPY_PLOT = "bsweep-entropy.svg";

  /** One B-cos model; metrics are null when not measured (e.g. no {@code bcos} row). */
  public record Point(
      String model,
      double b,
      Double accuracy,
      Double macroF1,
      Double auroc,
      Double comp,
      Double suff,
      Double entropy) {}

  private BSweep() {}

  /**
   * Every B-cos model of the rows (those with {@code bcos} true and a B), sorted by B (report order
   * within a B); empty when fewer than two different B occur. When some rows are marked {@code
   * sweep}, only those count: the sweep compares models trained on one budget.
   */
  public static List<Point> points(List<ReportRow> rows) {
    boolean marked = rows.stream().anyMatch(ReportRow::sweep);
    Map<String, List<ReportRow>> byModel = new LinkedHashMap<>();
    for (ReportRow r : rows) {
      if (Boolean.TRUE.equals(r.bcos()) && r.b() != null && (!marked || r.sweep())) {
        byModel.computeIfAbsent(r.model(), m -> new ArrayList<>()).add(r);
      }
    }
    List<Point> points = new ArrayList<>();
    Set<Double> bs = new LinkedHashSet<>();
    for (Map.Entry<String, List<ReportRow>> e : byModel.entrySet()) {
      ReportRow any = e.getValue().get(0);
      ReportRow bcos =
          e.getValue().stream().filter(r -> r.explainer().equals("bcos")).findFirst().orElse(null);
      points.add(
          new Point(
              e.getKey(),
              any.b(),
              any.accuracy(),
              any.macroF1(),
              any.auroc(),
              bcos == null ? null : bcos.comp(),
              bcos == null ? null : bcos.suff(),
              bcos == null ? null : bcos.entropy()));
      bs.add(any.b());
    }
    if (bs.size() < 2) {
      return List.of();
    }
    points.sort(Comparator.comparingDouble(Point::b));
    return points;
  }

  /** The points drawn: the first model (report order) of each B, so every B is one x value. */
  static List<Point> plotted(List<Point> points) {
    Map<Double, Point> first = new LinkedHashMap<>();
    points.forEach(p -> first.putIfAbsent(p.b(), p));
    return new ArrayList<>(first.values());
  }

  /** Writes the three plots into {@code directory}; nothing when there is no sweep. */
  public static List<Path> writePlots(List<ReportRow> rows, Path directory) throws IOException {
    List<Point> points = plotted(points(rows));
    if (points.isEmpty()) {
      return List.of();
    }
    double[] x = points.stream().mapToDouble(Point::b).toArray();
    List<Path> written = new ArrayList<>();
    written.add(
        plot(
            directory.resolve(ACCURACY_PLOT),
            "Task accuracy vs B",
            "accuracy",
            x,
            points,
            Point::accuracy));
    written.add(
        plot(
            directory.resolve(COMP_PLOT),
            "Comprehensiveness of the B-cos explanation vs B",
            "Comp",
            x,
            points,
            Point::comp));
    written.add(
        plot(
            directory.resolve(ENTROPY_PLOT),
            "Explanation entropy (normalised) vs B",
            "entropy",
            x,
            points,
            Point::entropy));
    return written;
  }

  private static Path plot(
      Path file,
      String title,
      String series,
      double[] x,
      List<Point> points,
      Function<Point, Double> value)
      throws IOException {
    double[] y = points.stream().map(value).mapToDouble(v -> v == null ? Double.NaN : v).toArray();
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put(series, y);
    SvgLinePlot.write(file, title, "B", series, x, s);
    return file;
  }

  /** The "B sweep" section (table and plot links); empty when there is no sweep. */
  static String markdown(List<ReportRow> rows) {
    List<Point> points = points(rows);
    if (points.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("## B sweep\n\n");
    md.append(
        "B-cos models by alignment pressure B. Task metrics are model-level; Comp, Suff and entropy"
            + " are those of the `bcos` explainer.\n\n");
    md.append("| B | Model | Accuracy | Macro-F1 | AUROC | Comp ↑ | Suff ↓ | Entropy |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (Point p : points) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %.2f | %s | %s | %s | %s | %s | %s | %s |\n",
              p.b(),
              ReportWriter.cell(p.model()),
              ReportWriter.number(p.accuracy(), "%.3f"),
              ReportWriter.number(p.macroF1(), "%.3f"),
              ReportWriter.number(p.auroc(), "%.3f"),
              ReportWriter.number(p.comp(), "%.3f"),
              ReportWriter.number(p.suff(), "%.3f"),
              ReportWriter.number(p.entropy(), "%.3f")));
    }
    if (plotted(points).size() < points.size()) {
      md.append("\nWhere several models share a B, the plots show the first of them.\n");
    }
    md.append("\n![Accuracy vs B](").append(ACCURACY_PLOT).append(")\n");
    md.append("![Comp of the B-cos explanation vs B](").append(COMP_PLOT).append(")\n");
    md.append("![Explanation entropy vs B](").append(ENTROPY_PLOT).append(")\n\n");
    return md.toString();
  }
}
