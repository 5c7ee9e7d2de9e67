package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingProtocolTest {

  @Test
  void factoriesCarryThePublishedFractions() {
    assertEquals(
        List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
        MaskingProtocol.paperDeciles().fractions());
    assertEquals(List.of(0.01, 0.05, 0.10, 0.20, 0.50), MaskingProtocol.eraserBins().fractions());
  }

  @Test
  void tokenCountRoundsHalfUpWithAtLeastOne() {
    assertEquals(2, MaskingProtocol.tokenCount(0.3, 5)); // 1.4999999999999998 in binary, meant 1.5
    assertEquals(2, MaskingProtocol.tokenCount(0.5, 3));
    assertEquals(2, MaskingProtocol.tokenCount(0.2, 12)); // 2.4
    assertEquals(1, MaskingProtocol.tokenCount(0.01, 10)); // 0.1 -> at least one
    assertEquals(0, MaskingProtocol.tokenCount(0.0, 10));
    assertEquals(4, MaskingProtocol.tokenCount(1.0, 4));
    assertEquals(0, MaskingProtocol.tokenCount(0.5, 0));
    for (int k = 1; k <= 9; k++) {
      assertEquals(
          k, MaskingProtocol.tokenCount(MaskingProtocol.paperDeciles().fractions().get(k - 1), 10));
    }
  }

  @Test
  void describeNamesEveryFraction() {
    String text = MaskingProtocol.eraserBins().describe();
    assertTrue(text.startsWith("eraser-bins:"), text);
    assertTrue(text.contains("{1, 5, 10, 20, 50}%"), text);
    assertTrue(
        MaskingProtocol.paperDeciles()
            .describe()
            .contains("{10, 20, 30, 40, 50, 60, 70, 80, 90}%"));
    assertTrue(new MaskingProtocol("x", List.of(0.025)).describe().contains("{2.5}%"));
    assertEquals(1, text.lines().count());
  }

  @Test
  void rejectsBadFractions() {
    assertThrows(IllegalArgumentException.class, () -> new MaskingProtocol("x", List.of(1.5)));
    assertThrows(IllegalArgumentException.class, () -> new MaskingProtocol("x", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new MaskingProtocol(" ", List.of(0.1)));
  }
}
