package dev.candor.evaluation.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FunctionalSuiteTest {
  private static FunctionalSuite parse(String text) {
    return FunctionalSuite.parse(text.getBytes(StandardCharsets.UTF_8), "t.tsv");
  }

  private static final String SMALL =
      String.join(
          "\n",
          "# comment",
          "group\twomen\twomen\ta woman\tfemale",
          "group\tmuslims\tMuslims\ta Muslim\tMuslim",
          "",
          "case\tthreat\ttoxic\t{PL} should be shot.",
          "case\tneutral\tnormal\tI am {A_SG}. {PL} are here; my {ADJ} friend too.",
          "case\tprofanity\tnormal\tHoly shit, what a day.");

  @Test
  void shouldExpandEveryTemplateOverEveryGroupAndCapitaliseSentenceStarts() {
    FunctionalSuite s = parse(SMALL);
    List<FunctionalSuite.Case> cases = s.cases();
    assertEquals(5, cases.size(), "two templates × two groups + one without placeholder");
    assertEquals("Women should be shot.", cases.get(0).text());
    assertEquals("Muslims should be shot.", cases.get(1).text());
    assertTrue(cases.get(0).expectedToxic());
    assertEquals("women", cases.get(0).group());
    assertEquals("I am a woman. Women are here; my female friend too.", cases.get(2).text());
    assertEquals("I am a Muslim. Muslims are here; my Muslim friend too.", cases.get(3).text());
    assertFalse(cases.get(4).expectedToxic());
    assertEquals(null, cases.get(4).group());
    assertEquals(
        Map.of("threat", 2, "neutral", 2, "profanity", 1), Map.copyOf(s.functionalities()));
    assertEquals(64, s.sha256().length());
  }

  @Test
  void shouldNameTheLineOfAMalformedRow() {
    IllegalArgumentException label =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("group\tw\twomen\ta woman\tfemale\ncase\tx\thate\t{PL} bad"));
    assertTrue(label.getMessage().contains("t.tsv line 2"), label.getMessage());
    assertTrue(label.getMessage().contains("toxic or normal"), label.getMessage());
    IllegalArgumentException placeholder =
        assertThrows(IllegalArgumentException.class, () -> parse("case\tx\ttoxic\t{GROUP} bad"));
    assertTrue(placeholder.getMessage().contains("unknown placeholder"), placeholder.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("case\tx\ttoxic\t{PL} bad"));
    assertThrows(IllegalArgumentException.class, () -> parse("group\tw\twomen"));
    assertThrows(IllegalArgumentException.class, () -> parse("template\tx\ttoxic\tbad"));
    assertThrows(IllegalArgumentException.class, () -> parse("# nothing"));
  }

  @Test
  void shouldShipTheFunctionalitiesTheIssueAsksForWithBothLabels() {
    FunctionalSuite s = FunctionalSuite.bundled();
    assertEquals(
        Set.of(
            "derogation_explicit",
            "derogation_implicit",
            "threat",
            "negated_hate",
            "negated_non_hate",
            "counter_speech",
            "profanity_no_hate",
            "identity_neutral",
            "identity_positive",
            "spelling_variants",
            "hate_question",
            "hate_opinion",
            "hate_pronoun_reference",
            "hate_profanity",
            "abuse_objects"),
        s.functionalities().keySet());
    for (Map.Entry<String, Integer> f : s.functionalities().entrySet()) {
      assertTrue(f.getValue() >= 6, f.toString());
    }
    Map<Boolean, Long> byLabel =
        s.cases().stream()
            .collect(
                Collectors.groupingBy(FunctionalSuite.Case::expectedToxic, Collectors.counting()));
    assertTrue(byLabel.get(true) > 100 && byLabel.get(false) > 100, byLabel.toString());
    assertEquals(8, s.groups().size());
    for (FunctionalSuite.Case c : s.cases()) {
      assertFalse(c.text().contains("{"), c.text());
    }
  }

  private static final String SLOTTED =
      String.join(
          "\n",
          "group\thindus\tHindus\ta Hindu\tHindu",
          "group\tsikhs\tSikhs\ta Sikh\tSikh",
          "slot\tBAD\tvile",
          "slot\tBAD\tfilthy",
          "slot\tBAD\tstupid",
          "slot\tTHING\tprinter",
          "slot\tTHING\tphone",
          "case\tderogation\ttoxic\t{PL} are {BAD}.",
          "case\tobjects\tnormal\tThis {THING} is {BAD}. {BAD} indeed.",
          "case\tneutral\tnormal\tHello there.");

  @Test
  void shouldExpandSlotsOverEveryCombinationAndUseOneValuePerNameInATemplate() {
    FunctionalSuite s = parse(SLOTTED);
    List<FunctionalSuite.Case> cases = s.cases();
    assertEquals(2 * 3 + 2 * 3 + 1, cases.size());
    assertEquals("Hindus are vile.", cases.get(0).text());
    assertEquals("Sikhs are stupid.", cases.get(5).text());
    assertEquals("This printer is vile. Vile indeed.", cases.get(6).text());
    assertEquals(null, cases.get(6).group(), "a template with slots only names no group");
    assertEquals(List.of("vile", "filthy", "stupid"), s.slots().get("BAD"));
  }

  @Test
  void shouldSampleDistinctSeededDrawsCappedByTheCombinations() {
    FunctionalSuite s = parse(SLOTTED);
    List<FunctionalSuite.Case> a = s.sample(4, 7);
    assertEquals(a, s.sample(4, 7), "same seed, same draws");
    assertEquals(4 + 4 + 1, a.size(), "six combinations each, capped at 4; the last has one");
    Set<String> texts = a.stream().map(FunctionalSuite.Case::text).collect(Collectors.toSet());
    assertEquals(a.size(), texts.size());
    assertEquals(13, s.sample(100, 7).size(), "never more than every combination");
    assertEquals(
        Set.copyOf(s.cases().stream().map(FunctionalSuite.Case::text).toList()),
        Set.copyOf(s.sample(100, 1).stream().map(FunctionalSuite.Case::text).toList()));
    assertFalse(
        a.equals(s.sample(4, 8)) && a.equals(s.sample(4, 9)), "other seeds draw other cases");
    assertThrows(IllegalArgumentException.class, () -> s.sample(0, 7));
  }

  @Test
  void shouldRefuseUndeclaredOrMisnamedSlots() {
    IllegalArgumentException undeclared =
        assertThrows(IllegalArgumentException.class, () -> parse("case\tx\ttoxic\t{BAD} day"));
    assertTrue(undeclared.getMessage().contains("{BAD}"), undeclared.getMessage());
    assertTrue(undeclared.getMessage().contains("line 1"), undeclared.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> parse("slot\tPL\tpeople\ncase\tx\ttoxic\t{PL}"));
    assertThrows(
        IllegalArgumentException.class, () -> parse("slot\tbad\tvile\ncase\tx\ttoxic\tok"));
    assertThrows(
        IllegalArgumentException.class,
        () -> parse("slot\tBAD\tvile\nslot\tBAD\tvile\ncase\tx\ttoxic\t{BAD}"));
  }

  @Test
  void shouldShipTrainingTemplatesThatShareNoGroupOrTemplateWithTheChecks() {
    FunctionalSuite checks = FunctionalSuite.bundled();
    FunctionalSuite training = FunctionalSuite.bundledTraining();
    assertTrue(checks.slots().isEmpty());
    Set<String> checkGroups = new HashSet<>();
    for (FunctionalSuite.Group g : checks.groups()) {
      checkGroups.add(g.name());
      checkGroups.add(g.plural().toLowerCase(Locale.ROOT));
    }
    for (FunctionalSuite.Group g : training.groups()) {
      assertFalse(checkGroups.contains(g.name()), g.toString());
      assertFalse(checkGroups.contains(g.plural().toLowerCase(Locale.ROOT)), g.toString());
    }
    Set<String> checkTemplates =
        checks.templates().stream()
            .map(t -> t.text().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    Set<String> checkTexts =
        checks.cases().stream()
            .map(c -> c.text().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    for (FunctionalSuite.Template t : training.templates()) {
      assertFalse(checkTemplates.contains(t.text().toLowerCase(Locale.ROOT)), t.text());
    }
    List<FunctionalSuite.Case> drawn = training.sample(40, 42);
    for (FunctionalSuite.Case c : drawn) {
      assertFalse(checkTexts.contains(c.text().toLowerCase(Locale.ROOT)), c.text());
    }
    long toxic = drawn.stream().filter(FunctionalSuite.Case::expectedToxic).count();
    assertTrue(
        toxic > 0.4 * drawn.size() && toxic < 0.6 * drawn.size(),
        "both labels about equally: " + toxic + " of " + drawn.size());
  }
}
