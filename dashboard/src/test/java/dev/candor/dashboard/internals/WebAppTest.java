package dev.candor.dashboard.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.dashboard.internals.Model.Span;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebAppTest {
  @Test
  void shouldParseSortAndMergeSpans() {
    assertEquals(List.of(), WebApp.parseSpans("", 10));
    assertEquals(List.of(new Span(1, 3), new Span(5, 9)), WebApp.parseSpans("5-9, 1-3", 10));
    assertEquals(List.of(new Span(1, 6)), WebApp.parseSpans("1-3,2-6", 10));
    assertEquals(List.of(new Span(0, 10)), WebApp.parseSpans("0-10", 10));
  }

  @Test
  void shouldRefuseBadSpansWithClearMessages() {
    assertTrue(
        assertThrows(WebApp.BadRequest.class, () -> WebApp.parseSpans("3-11", 10))
            .getMessage()
            .contains("outside the text (0-10)"));
    assertThrows(WebApp.BadRequest.class, () -> WebApp.parseSpans("4-4", 10));
    assertThrows(WebApp.BadRequest.class, () -> WebApp.parseSpans("-1-3", 10));
    assertThrows(WebApp.BadRequest.class, () -> WebApp.parseSpans("a-b", 10));
    assertThrows(WebApp.BadRequest.class, () -> WebApp.parseSpans("1-2-3", 10));
    String many = String.join(",", java.util.Collections.nCopies(65, "1-2"));
    assertTrue(
        assertThrows(WebApp.BadRequest.class, () -> WebApp.parseSpans(many, 10))
            .getMessage()
            .contains("At most 64"));
  }

  @Test
  void shouldColourBySignAndStrength() {
    assertEquals("h-p5", Heatmap.cls(1.0, 1.0));
    assertEquals("h-n5", Heatmap.cls(-1.0, 1.0));
    assertEquals("h-p3", Heatmap.cls(0.5, 1.0));
    assertEquals("h-0", Heatmap.cls(0.01, 1.0));
    assertEquals("h-0", Heatmap.cls(0.0, 0.0));
  }

  @Test
  void shouldLayWordsOverTheTextKeepingGaps() {
    String text = "hi  there!";
    List<Heatmap.Segment> segs =
        Heatmap.words(
            text, List.of(new Model.Word("hi", 0, 2, 0.5), new Model.Word("there", 4, 9, -1.0)));
    StringBuilder all = new StringBuilder();
    segs.forEach(s -> all.append(s.text()));
    assertEquals(text, all.toString(), "every character appears once, in order");
    assertEquals("h-p3", segs.get(0).cls());
    assertEquals("h-n5", segs.get(2).cls());
    assertTrue(segs.get(2).title().startsWith("there: -1.000000"));
  }

  @Test
  void shouldSplitTextIntoSearchTerms() {
    assertEquals(
        List.of("go", "back", "100", "ünïcödé", "text", "here"),
        ReviewStore.terms("Go BACK! 100% Ünïcödé text_here go", 100));
    assertEquals(List.of("a"), ReviewStore.terms("a b c", 1));
  }

  @Test
  void shouldShowEveryClassScoreOfAThreeClassPredictionOnTheItemPage() throws Exception {
    ClasspathLoader loader = new ClasspathLoader(WebApp.class.getClassLoader());
    loader.setPrefix("dev/candor/dashboard/templates/");
    loader.setSuffix(".peb");
    PebbleEngine pebble =
        new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false).build();
    java.util.Map<String, Object> m = new java.util.HashMap<>();
    m.put("explainedLabel", "hatespeech");
    m.put("classScores", "normal 0.6000 · offensive 0.3000 · hatespeech 0.1000");
    java.io.StringWriter three = new java.io.StringWriter();
    pebble.getTemplate("item").evaluate(three, m);
    assertTrue(
        three
            .toString()
            .contains(
                "<dt>Class scores</dt><dd id=\"class-scores\">normal 0.6000 · offensive 0.3000 ·"
                    + " hatespeech 0.1000</dd>"),
        three.toString());
    m.put("classScores", "");
    java.io.StringWriter two = new java.io.StringWriter();
    pebble.getTemplate("item").evaluate(two, m);
    assertFalse(two.toString().contains("Class scores"), "binary predictions: no extra row");
  }
}
