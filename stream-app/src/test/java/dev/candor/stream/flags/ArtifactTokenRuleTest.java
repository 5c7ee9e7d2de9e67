package dev.candor.stream.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ArtifactTokenRuleTest {

  private static final FlagContext NONE = FlagContext.none();

  @Test
  void shouldFlagAPlaceholderSplitIntoPiecesAsOneWord() {
    Explanation e =
        Explanations.of(
            "<user> i love this song",
            "normal",
            0.95,
            0.1,
            "<",
            0.56,
            "user",
            0.24,
            ">",
            0.28,
            "i",
            0.15,
            "love",
            0.05,
            "this",
            0.11,
            "song",
            -0.02);

    List<SpuriousFlag> flags = new ArtifactTokenRule().check(e, NONE);

    assertEquals(1, flags.size());
    SpuriousFlag f = flags.get(0);
    assertEquals(ArtifactTokenRule.TYPE, f.getType());
    assertEquals(List.of(new CharSpan(0, 6)), f.getSpans());
    assertEquals(1.08 / (1.08 + 0.15 + 0.05 + 0.11), f.getScore(), 1e-9);
    assertEquals(1, f.getTokenIndex(), "the strongest piece, '<'");
    assertTrue(f.getDetail().contains("\"<user>\""), f.getDetail());
    assertTrue(f.getDetail().contains("78%"), f.getDetail());
  }

  @Test
  void shouldNotFlagWhenTheArtifactCarriesLittleEvidence() {
    Explanation e =
        Explanations.of(
            "<user> i love this song",
            "normal",
            0.95,
            0.1,
            "<",
            0.01,
            "user",
            0.02,
            ">",
            0.01,
            "i",
            0.15,
            "love",
            0.6,
            "this",
            0.11,
            "song",
            0.2);

    assertEquals(List.of(), new ArtifactTokenRule().check(e, NONE));
  }

  @Test
  void shouldNotCountAPlaceholderThatArguesAgainstTheLabel() {
    Explanation e =
        Explanations.of(
            "<number> idiots",
            "toxic",
            0.9,
            0.0,
            "<",
            -0.5,
            "number",
            -0.2,
            ">",
            0.1,
            "idiots",
            1.0);

    assertEquals(List.of(), new ArtifactTokenRule(0.05, List.of()).check(e, NONE));
  }

  @Test
  void shouldFlagUrlsAndHtmlEntities() {
    Explanation e =
        Explanations.of(
            "read https://x.co/a &amp; weep",
            "toxic",
            0.8,
            0.0,
            "read",
            0.1,
            "https",
            0.3,
            ":",
            0.1,
            "/",
            0.05,
            "/",
            0.05,
            "x",
            0.1,
            ".",
            0.0,
            "co",
            0.1,
            "/",
            0.0,
            "a",
            0.0,
            "&",
            0.2,
            "amp",
            0.1,
            ";",
            0.0,
            "weep",
            0.1);

    SpuriousFlag f = new ArtifactTokenRule().check(e, NONE).get(0);

    assertEquals(List.of(new CharSpan(5, 19), new CharSpan(20, 25)), f.getSpans());
    assertEquals(1.0 / 1.2, f.getScore(), 1e-9);
  }

  @Test
  void shouldFireOnlyAboveTheThreshold() {
    Explanation e =
        Explanations.of(
            "<user> hi", "normal", 0.6, 0.0, "<", 0.1, "user", 0.1, ">", 0.1, "hi", 0.3);
    assertEquals(
        List.of(), new ArtifactTokenRule(0.5, List.of()).check(e, NONE), "0.5 is not > 0.5");
    assertEquals(1, new ArtifactTokenRule(0.49, List.of()).check(e, NONE).size());
  }

  @Test
  void shouldHandleTextsWithoutWordsOrPositiveEvidence() {
    assertEquals(
        List.of(),
        new ArtifactTokenRule(0, List.of()).check(Explanations.of("", "normal", 0.6, 0.4), NONE));
    assertEquals(
        List.of(),
        new ArtifactTokenRule(0, List.of())
            .check(
                Explanations.of("<user>", "normal", 0.6, 0.4, "<", -0.1, "user", -0.1, ">", -0.1),
                NONE));
  }

  @Test
  void shouldAcceptExtraPatternsAndRejectBadOnes() {
    Explanation e =
        Explanations.of(
            "call 555-1234 now",
            "toxic",
            0.7,
            0.0,
            "call",
            0.1,
            "555",
            0.4,
            "-",
            0.1,
            "1234",
            0.3,
            "now",
            0.1);
    ArtifactTokenRule rule = new ArtifactTokenRule();
    assertEquals(List.of(), rule.check(e, NONE));

    rule.configure(Map.of(ArtifactTokenRule.PATTERNS_CONFIG, "\\d{3}-\\d{4}"));
    assertEquals(List.of(new CharSpan(5, 13)), rule.check(e, NONE).get(0).getSpans());

    assertThrows(
        ConfigException.class,
        () -> rule.configure(Map.of(ArtifactTokenRule.PATTERNS_CONFIG, "(unclosed")));
    assertThrows(
        ConfigException.class,
        () -> rule.configure(Map.of(ArtifactTokenRule.THRESHOLD_CONFIG, "1.5")));
  }
}
