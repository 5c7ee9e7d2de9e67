package dev.candor.stream.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTermRuleTest {

  private static final FlagContext NONE = FlagContext.none();

  private static Explanation muslims(String label, double muslims, double ruining) {
    return Explanations.of(
        "Muslims are ruining this country",
        label,
        0.76,
        0.05,
        "muslims",
        muslims,
        "are",
        -0.01,
        "ruining",
        ruining,
        "this",
        -0.09,
        "country",
        0.03);
  }

  @Test
  void shouldFlagAToxicPredictionWhoseTopEvidenceIsAnIdentityTerm() {
    List<SpuriousFlag> flags = new IdentityTermRule().check(muslims("toxic", 0.36, 0.35), NONE);

    assertEquals(1, flags.size());
    SpuriousFlag f = flags.get(0);
    assertEquals(IdentityTermRule.TYPE, f.getType());
    assertEquals(List.of(new CharSpan(0, 7)), f.getSpans());
    assertEquals(0.36 / (0.36 + 0.35 + 0.03), f.getScore(), 1e-9);
    assertEquals(1, f.getTokenIndex());
    assertTrue(f.getDetail().contains("\"Muslims\" (religion, 49%)"), f.getDetail());
  }

  @Test
  void shouldNotJudgeBenignPredictions() {
    assertEquals(List.of(), new IdentityTermRule().check(muslims("normal", 0.36, 0.35), NONE));
  }

  @Test
  void shouldRequireTheTermToBeAmongTheTopWords() {
    Explanation e = muslims("toxic", 0.36, 0.5);
    IdentityLexicon lex = IdentityLexicon.bundled();
    assertEquals(List.of(), new IdentityTermRule(lex, 0.2, 1, Set.of("normal")).check(e, NONE));
    assertEquals(1, new IdentityTermRule(lex, 0.2, 2, Set.of("normal")).check(e, NONE).size());
    assertEquals(
        List.of(),
        new IdentityTermRule(lex, 0.5, 2, Set.of("normal")).check(e, NONE),
        "share 0.36/0.89 is below 0.5");
  }

  @Test
  void shouldTreatAMultiWordTermAsOneSpan() {
    Explanation e =
        Explanations.of(
            "african americans again",
            "toxic",
            0.8,
            0.0,
            "african",
            0.3,
            "americans",
            0.3,
            "again",
            0.4);
    SpuriousFlag f = new IdentityTermRule().check(e, NONE).get(0);
    assertEquals(List.of(new CharSpan(0, 17)), f.getSpans());
    assertEquals(0.6, f.getScore(), 1e-9);
  }

  @Test
  void shouldFlagNothingWithAnEmptyLexiconOrNoWords() {
    IdentityLexicon empty = IdentityLexicon.parse(List.of("# nothing"), "empty");
    assertEquals(
        List.of(),
        new IdentityTermRule(empty, 0, 1, Set.of("normal")).check(muslims("toxic", 1, 0), NONE));
    assertEquals(
        List.of(), new IdentityTermRule().check(Explanations.of("", "toxic", 0.9, 1.0), NONE));
  }

  @Test
  void shouldReadItsKeysAndALexiconFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("terms.tsv");
    Files.writeString(file, "religion\tpl\tpastafarian\tpastafarians\n");
    IdentityTermRule rule = new IdentityTermRule();
    rule.configure(
        Map.of(
            IdentityTermRule.LEXICON_CONFIG, file.toString(),
            IdentityTermRule.MIN_SHARE_CONFIG, "0.1",
            IdentityTermRule.TOP_K_CONFIG, "3",
            IdentityTermRule.BENIGN_LABELS_CONFIG, "toxic"));
    assertEquals(0.1, rule.minShare());
    assertEquals(3, rule.topK());
    assertEquals(1, rule.lexicon().entries().size());
    assertEquals(List.of(), rule.check(muslims("toxic", 0.36, 0.35), NONE), "toxic is benign now");
    assertThrows(
        ConfigException.class,
        () ->
            rule.configure(
                Map.of(IdentityTermRule.LEXICON_CONFIG, dir.resolve("missing.tsv").toString())));
  }
}
