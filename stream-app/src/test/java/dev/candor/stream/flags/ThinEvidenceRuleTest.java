package dev.candor.stream.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThinEvidenceRuleTest {

  private static final FlagContext NONE = FlagContext.none();

  @Test
  void shouldFlagADecisionRestingOnOneSubWord() {
    Explanation e =
        Explanations.of("muslims here", "toxic", 0.8, 0.5, "mus", -0.1, "##lims", 0.6, "here", 0.2);

    List<SpuriousFlag> flags = new ThinEvidenceRule().check(e, NONE);

    assertEquals(1, flags.size());
    SpuriousFlag f = flags.get(0);
    assertEquals(ThinEvidenceRule.TYPE, f.getType());
    assertEquals(2, f.getTokenIndex());
    assertEquals(List.of(new CharSpan(3, 7)), f.getSpans());
    assertEquals(0.6 / 0.8, f.getScore(), 1e-9);
    assertTrue(f.getDetail().contains("fragment \"##lims\" of \"muslims\""), f.getDetail());
  }

  @Test
  void shouldTreatTheFirstPieceOfASplitWordAsASubWord() {
    Explanation e =
        Explanations.of("muslims here", "toxic", 0.8, 0.0, "mus", 0.7, "##lims", 0.0, "here", 0.1);
    assertEquals(1, new ThinEvidenceRule().check(e, NONE).get(0).getTokenIndex());
  }

  @Test
  void shouldNotFlagAPieceWhoseWordSupportsTheLabelAsAWhole() {
    // A rare word split by the tokenizer (a slur, say) is evidence as a whole.
    Explanation e =
        Explanations.of("you rascal", "toxic", 0.9, 0.0, "you", 0.1, "ras", 0.2, "##cal", 0.7);
    assertEquals(List.of(), new ThinEvidenceRule().check(e, NONE));
  }

  @Test
  void shouldFlagADecisionRestingOnPunctuation() {
    Explanation e = Explanations.of("you !", "toxic", 0.7, 0.0, "you", 0.2, "!", 0.8);
    SpuriousFlag f = new ThinEvidenceRule().check(e, NONE).get(0);
    assertEquals(List.of(new CharSpan(4, 5)), f.getSpans());
    assertTrue(f.getDetail().contains("punctuation \"!\""), f.getDetail());
  }

  @Test
  void shouldNotFlagAWholeWordOrSpreadEvidence() {
    assertEquals(
        List.of(),
        new ThinEvidenceRule()
            .check(
                Explanations.of("idiot here", "toxic", 0.9, 0.0, "idiot", 0.9, "here", 0.1), NONE));
    assertEquals(
        List.of(),
        new ThinEvidenceRule()
            .check(
                Explanations.of(
                    "muslims here", "toxic", 0.8, 0.0, "mus", 0.3, "##lims", 0.4, "here", 0.3),
                NONE));
  }

  @Test
  void shouldLeaveArtifactPiecesToTheArtifactRule() {
    Explanation e =
        Explanations.of(
            "<user> hi", "normal", 0.8, 0.0, "<", 0.9, "user", 0.05, ">", 0.0, "hi", 0.05);
    assertEquals(List.of(), new ThinEvidenceRule().check(e, NONE));
  }

  @Test
  void shouldHandleOnlySpecialTokensAndNoPositiveEvidence() {
    assertEquals(
        List.of(), new ThinEvidenceRule(0).check(Explanations.of("", "toxic", 0.9, 2.0), NONE));
    assertEquals(
        List.of(),
        new ThinEvidenceRule(0).check(Explanations.of("!", "toxic", 0.9, 2.0, "!", -0.3), NONE));
  }
}
