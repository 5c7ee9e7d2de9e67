package dev.candor.stream.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CounterfactualSwapRuleTest {

  private final List<List<String>> calls = new ArrayList<>();

  private FlagContext classifier(Function<String, Prediction> model) {
    return FlagContext.of(
        texts -> {
          calls.add(List.copyOf(texts));
          return texts.stream().map(model).toList();
        },
        w -> 0);
  }

  private static Explanation toxic(String text, Object... pieces) {
    return Explanations.of(text, "toxic", 0.9, 0.0, pieces);
  }

  @Test
  void shouldFlagASwapThatFlipsThePredictionAndNameBothScores() {
    Explanation e = toxic("Muslims are ruining this country", "muslims", 0.4, "ruining", 0.4);
    FlagContext ctx =
        classifier(
            t ->
                t.startsWith("Christians")
                    ? Explanations.prediction("normal", 0.7)
                    : Explanations.prediction("toxic", 0.85));

    List<SpuriousFlag> flags = new CounterfactualSwapRule().check(e, ctx);

    assertEquals(
        List.of(List.of("Christians are ruining this country", "Jews are ruining this country")),
        calls,
        "two swaps, capitals kept, one forward pass");
    assertEquals(1, flags.size());
    SpuriousFlag f = flags.get(0);
    assertEquals(CounterfactualSwapRule.TYPE, f.getType());
    assertEquals(List.of(new CharSpan(0, 7)), f.getSpans());
    assertEquals(0.9 - 0.3, f.getScore(), 1e-9);
    assertEquals(
        "swapping \"muslims\" → \"christians\" (religion) flips 'toxic' 0.90 → 'normal' 0.70"
            + " (p(toxic) 0.90 → 0.30)",
        f.getDetail());
  }

  @Test
  void shouldNotFlagSmallMoves() {
    Explanation e = toxic("Muslims are ruining this country", "muslims", 0.4, "ruining", 0.4);
    assertEquals(
        List.of(),
        new CounterfactualSwapRule()
            .check(e, classifier(t -> Explanations.prediction("toxic", 0.8))));
    assertEquals(
        1,
        new CounterfactualSwapRule(IdentityLexicon.bundled(), 2, 0.05, 0.05)
            .check(e, classifier(t -> Explanations.prediction("toxic", 0.8)))
            .size(),
        "0.1 moves more than 0.05");
  }

  @Test
  void shouldNotFlagAFlipOnTheDecisionBoundaryThatBarelyMoves() {
    Explanation e =
        Explanations.of("black kids here", "toxic", 0.51, 0.0, "black", 0.3, "kids", 0.3);
    FlagContext ctx = classifier(t -> Explanations.prediction("normal", 0.52));
    assertEquals(List.of(), new CounterfactualSwapRule().check(e, ctx), "0.51 -> 0.48 is noise");
    assertEquals(
        1,
        new CounterfactualSwapRule(IdentityLexicon.bundled(), 2, 0.2, 0.0).check(e, ctx).size(),
        "any flip counts with a zero floor");
  }

  @Test
  void shouldBatchTheSwapsOfAMicroBatchAndSkipTextsWithoutIdentityTerms() {
    List<Explanation> batch =
        List.of(
            toxic("gay people are great", "gay", 0.5),
            toxic("nothing to swap here", "nothing", 0.5),
            toxic("women and women", "women", 0.5));
    CounterfactualSwapRule rule = new CounterfactualSwapRule();
    rule.configure(Map.of(CounterfactualSwapRule.MAX_SWAPS_CONFIG, "1"));

    List<List<SpuriousFlag>> flags =
        rule.checkBatch(batch, classifier(t -> Explanations.prediction("normal", 0.6)));

    assertEquals(
        List.of(List.of("heterosexuals are great", "men and men")),
        calls,
        "one pass, at most one swap per text, every occurrence swapped");
    assertEquals(1, flags.get(0).size());
    assertEquals(List.of(), flags.get(1));
    assertEquals(List.of(new CharSpan(0, 5), new CharSpan(10, 15)), flags.get(2).get(0).getSpans());
  }

  @Test
  void shouldNotRunTheModelWhenNoTextHasAnIdentityTerm() {
    List<List<SpuriousFlag>> flags =
        new CounterfactualSwapRule()
            .checkBatch(List.of(toxic("you idiot", "idiot", 1.0)), FlagContext.none());
    assertEquals(List.of(List.of()), flags);
  }

  @Test
  void shouldSwapTheTermsWithTheMostEvidenceFirst() {
    Explanation e = toxic("muslims hate jews", "muslims", 0.1, "hate", 0.2, "jews", 0.6);
    new CounterfactualSwapRule(IdentityLexicon.bundled(), 1, 0.2, 0.05)
        .check(e, classifier(t -> Explanations.prediction("toxic", 0.9)));
    assertEquals(List.of(List.of("muslims hate hindus")), calls);
  }

  @Test
  void shouldOnlySwapTermsThatCarryEnoughOfTheEvidence() {
    Explanation e = toxic("muslims are ruining this country", "muslims", -0.1, "ruining", 0.9);
    CounterfactualSwapRule rule = new CounterfactualSwapRule();
    assertEquals(0.1, rule.minShare());
    assertEquals(List.of(), rule.check(e, FlagContext.none()), "muslims argues against toxic");
    rule.configure(Map.of(CounterfactualSwapRule.MIN_SHARE_CONFIG, "0"));
    rule.check(e, classifier(t -> Explanations.prediction("toxic", 0.9)));
    assertEquals(1, calls.size(), "with 0 every identity term is swapped");
  }

  @Test
  void shouldKeepCapitals() {
    assertEquals(
        "MEN and Men and men",
        CounterfactualSwapRule.replace(
            "WOMEN and Women and women",
            List.of(new int[] {0, 5}, new int[] {10, 15}, new int[] {20, 25}),
            "men"));
  }

  @Test
  void shouldFlagNothingWithAnEmptyLexicon() {
    IdentityLexicon empty = IdentityLexicon.parse(List.of(), "empty");
    Explanation e = toxic("Muslims are ruining this country", "muslims", 0.4, "ruining", 0.4);
    assertEquals(
        List.of(), new CounterfactualSwapRule(empty, 2, 0, 0).check(e, FlagContext.none()));
    assertTrue(calls.isEmpty());
  }
}
