package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class SvgLinePlotTest {

  @TempDir Path dir;

  private static Map<String, double[]> sweep() {
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("accuracy", new double[] {0.81, 0.80, 0.79, 0.77, 0.70});
    series.put("Comp", new double[] {0.40, 0.55, 0.62, Double.NaN, 0.58});
    series.put("entropy <norm>", new double[] {0.95, 0.90, 0.80, 0.60, 0.40});
    return series;
  }

  @Test
  void rendersWellFormedSvgWithOnePathPerSeries() throws Exception {
    double[] b = {1.0, 1.25, 1.5, 2.0, 2.5};
    String svg = SvgLinePlot.render("B sweep & HateXplain", "B", "score", b, sweep());
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", doc.getDocumentElement().getNodeName());
    NodeList paths = doc.getElementsByTagName("path");
    assertEquals(1 + 3, paths.getLength()); // axes + series
    String comp = paths.item(2).getAttributes().getNamedItem("d").getNodeValue();
    assertEquals(2, comp.chars().filter(c -> c == 'M').count(), comp); // NaN splits the line
    assertEquals(14, doc.getElementsByTagName("circle").getLength()); // 15 points, one NaN
    assertTrue(svg.contains("entropy &lt;norm&gt;"));
    assertTrue(svg.contains("B sweep &amp; HateXplain"));
    assertTrue(svg.contains(">2.50<") || svg.contains(">2.5<"), svg);
  }

  @Test
  void axisTicksAreRound() {
    SvgLinePlot.Axis axis = SvgLinePlot.Axis.of(new double[] {1.0, 2.5}, 0, 100);
    assertEquals(0.5, axis.step(), 1e-12);
    assertEquals(1.0, axis.min(), 1e-12);
    assertEquals(2.5, axis.max(), 1e-12);
    assertEquals(4, axis.ticks().size());
    assertEquals("1.5", axis.label(1.5));
    assertEquals(0.0, axis.map(1.0), 1e-9);
    assertEquals(100.0, axis.map(2.5), 1e-9);
    SvgLinePlot.Axis flat = SvgLinePlot.Axis.of(new double[] {0.7, 0.7}, 0, 100);
    assertTrue(flat.min() < 0.7 && flat.max() > 0.7);
  }

  @Test
  void writesFileAndRejectsMismatchedSeries() throws Exception {
    Path file = dir.resolve("sweep.svg");
    SvgLinePlot.write(file, "t", "B", "y", new double[] {1, 2, 3, 4, 5}, sweep());
    assertTrue(Files.readString(file).startsWith("<svg"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SvgLinePlot.render("t", "x", "y", new double[] {1, 2}, Map.of("s", new double[] {1})));
  }
}
