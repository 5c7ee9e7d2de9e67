package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.train.ClassificationMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassBreakdownTest {
  private static final List<String> THREE = List.of("normal", "offensive", "hatespeech");

  @Test
  void shouldWritePerClassFiguresAndTheConfusionMatrix() {
    // true 0,0,0,1,1,2; predicted 0,0,1,1,2,2: nothing predicted wrong as 0
    ClassificationMetrics m =
        ClassificationMetrics.of(
            new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 2}, null, 3);
    ClassBreakdown b = ClassBreakdown.of("m3", THREE, m);
    assertArrayEquals(new double[] {1.0, 0.5, 0.5}, b.precision(), 1e-12);
    assertArrayEquals(new double[] {2.0 / 3, 0.5, 1.0}, b.recall(), 1e-12);
    assertArrayEquals(new int[] {3, 2, 1}, b.support());
    String md = ReportWriter.markdown(new Report("t", null, List.of(), List.of(), List.of(b)));
    assertTrue(md.contains("### m3 (macro-F1 0.656)"), md);
    assertTrue(md.contains("| normal | 1.000 | 0.667 | 0.800 | 3 |"), md);
    assertTrue(md.contains("| hatespeech | 0.500 | 1.000 | 0.667 | 1 |"), md);
    assertTrue(md.contains("| true / predicted | normal | offensive | hatespeech |"), md);
    assertTrue(md.contains("| offensive | 0 | 1 | 1 |"), md);
    assertTrue(
        ReportWriter.json(new Report("t", null, List.of(), List.of(), List.of(b)))
            .contains("\"classes\""));
  }

  @Test
  void shouldShowUndefinedFiguresAsMissingAndCheckSizes() {
    ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0}, new int[] {0, 0}, null, 3);
    String md =
        ReportWriter.markdown(
            new Report("t", null, List.of(), List.of(), List.of(ClassBreakdown.of("x", THREE, m))));
    assertTrue(md.contains("| offensive | – | – | – | 0 |"), md);
    assertThrows(
        IllegalArgumentException.class, () -> ClassBreakdown.of("x", List.of("a", "b"), m));
    assertFalse(
        ReportWriter.markdown(new Report("t", null, List.of(), List.of()))
            .contains("## Per class"));
  }
}
