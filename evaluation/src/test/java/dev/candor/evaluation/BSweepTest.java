package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BSweepTest {

  @TempDir Path dir;

  private static ReportRow row(
      String model, double b, String explainer, double acc, double comp, double entropy) {
    return ReportRow.builder(model, explainer)
        .modelKind(true, b)
        .accuracy(acc)
        .macroF1(acc - 0.1)
        .auroc(0.9)
        .comp(comp)
        .suff(0.1)
        .entropy(entropy)
        .build();
  }

  private static final List<ReportRow> ROWS =
      List.of(
          row("b25", 2.5, "saliency", 0.70, 0.10, 0.99),
          row("b25", 2.5, "bcos", 0.70, 0.61, 0.40),
          ReportRow.builder("conv", "ig").modelKind(false, 0).accuracy(0.9).comp(0.3).build(),
          row("b10", 1.0, "bcos", 0.82, 0.45, 0.95),
          row("b15", 1.5, "bcos", 0.80, 0.55, 0.80),
          row("b15bis", 1.5, "bcos", 0.60, 0.05, 0.10));

  @Test
  void pointsAreTheBcosModelsByBWithTheBcosExplainersFaithfulness() {
    List<BSweep.Point> points = BSweep.points(ROWS);
    assertEquals(
        List.of("b10", "b15", "b15bis", "b25"), points.stream().map(BSweep.Point::model).toList());
    BSweep.Point b25 = points.get(3);
    assertEquals(2.5, b25.b());
    assertEquals(0.61, b25.comp()); // of the bcos row, not saliency
    assertEquals(0.40, b25.entropy());
    assertEquals(0.70, b25.accuracy());
    assertEquals(
        List.of(1.0, 1.5, 2.5), BSweep.plotted(points).stream().map(BSweep.Point::b).toList());
    assertEquals("b15", BSweep.plotted(points).get(1).model());
  }

  @Test
  void markedSweepModelsAloneFormTheSweep() {
    List<ReportRow> rows =
        List.of(
            row("full-b15", 1.5, "bcos", 0.78, 0.45, 0.8),
            ReportRow.builder("sweep-b10", "bcos")
                .modelKind(true, 1.0)
                .sweep(true)
                .accuracy(0.71)
                .build(),
            ReportRow.builder("sweep-b15", "bcos")
                .modelKind(true, 1.5)
                .sweep(true)
                .accuracy(0.72)
                .build());
    assertEquals(
        List.of("sweep-b10", "sweep-b15"),
        BSweep.plotted(BSweep.points(rows)).stream().map(BSweep.Point::model).toList());
  }

  @Test
  void noSweepWithoutTwoDifferentB() {
    assertEquals(
        List.of(),
        BSweep.points(
            List.of(row("a", 1.5, "bcos", 0.8, 0.5, 0.5), row("b", 1.5, "bcos", 0.7, 0.4, 0.4))));
    assertEquals(
        List.of(),
        BSweep.points(
            List.of(
                ReportRow.builder("c", "ig").modelKind(false, 2).build(),
                row("b", 1.5, "bcos", 0.7, 0.4, 0.4))));
    assertEquals("", BSweep.markdown(List.of()));
  }

  @Test
  void aModelWithoutABcosRowIsAGapNotAZero() {
    List<BSweep.Point> points =
        BSweep.points(
            List.of(row("a", 1.5, "bcos", 0.8, 0.5, 0.5), row("b", 2.0, "ig", 0.7, 0.4, 0.4)));
    assertNull(points.get(1).comp());
    assertEquals(0.7, points.get(1).accuracy());
  }

  @Test
  void writesThreePlotsWithOnePointPerBAndATable() throws Exception {
    List<Path> files = BSweep.writePlots(ROWS, dir);
    assertEquals(
        List.of(
            dir.resolve("bsweep-accuracy.svg"),
            dir.resolve("bsweep-comp.svg"),
            dir.resolve("bsweep-entropy.svg")),
        files);
    for (Path f : files) {
      String svg = Files.readString(f);
      assertEquals(3, svg.split("<circle", -1).length - 1, f + "\n" + svg);
    }
    assertTrue(Files.readString(files.get(1)).contains("Comp"));
    String md = BSweep.markdown(ROWS);
    assertTrue(md.startsWith("## B sweep\n"), md);
    assertTrue(
        md.contains("| B | Model | Accuracy | Macro-F1 | AUROC | Comp ↑ | Suff ↓ | Entropy |"), md);
    assertTrue(md.contains("| 2.50 | b25 | 0.700 | 0.600 | 0.900 | 0.610 | 0.100 | 0.400 |"), md);
    assertTrue(
        md.indexOf("| 1.00 | b10") < md.indexOf("| 1.50 | b15 ")
            && md.indexOf("| 1.50 | b15bis") < md.indexOf("| 2.50 | b25"),
        md);
    assertTrue(md.contains("![Accuracy vs B](bsweep-accuracy.svg)"), md);
    assertTrue(md.contains("(bsweep-comp.svg)") && md.contains("(bsweep-entropy.svg)"), md);
    assertTrue(md.contains("the plots show the first of them"), md);
  }
}
