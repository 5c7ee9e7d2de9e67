package dev.candor.evaluation.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
