package dev.candor.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityAugmentationTest {
  private static final IdentityTerms LEX =
      IdentityTerms.parse(
          List.of(
              "religion\tsg\tislam\tmuslim",
              "religion\tpl\tislam\tmuslims",
              "religion\tsg\tchristianity\tchristian",
              "religion\tpl\tchristianity\tchristians",
              "religion\tpl\tbuddhism\tbuddhists",
              "gender\tadults\tfemale\twomen",
              "gender\tadults\tmale\tmen"),
          "test");

  @Test
  void shouldSwapWithinTheCategoryKeepingFormAndCase() {
    Set<String> seen = new HashSet<>();
    for (int seed = 0; seed < 40; seed++) {
      String s =
          IdentityAugmentation.swap("Muslims say a muslim is fine", LEX, new Random(seed))
              .orElseThrow();
      seen.add(s);
    }
    // buddhism has no singular, so the only swap that keeps both forms is christianity
    assertEquals(Set.of("Christians say a christian is fine"), seen);
    assertEquals(
        Optional.of("MEN are here"),
        IdentityAugmentation.swap("WOMEN are here", LEX, new Random(1)));
    Set<String> plural = new HashSet<>();
    for (int seed = 0; seed < 40; seed++) {
      // consecutive small seeds give the same first draw in java.util.Random; spread them
      Random r = new Random(seed * 0x9E3779B97F4A7C15L);
      plural.add(IdentityAugmentation.swap("muslims", LEX, r).orElseThrow());
    }
    assertEquals(Set.of("christians", "buddhists"), plural);
    assertEquals(Optional.empty(), IdentityAugmentation.swap("a lovely day", LEX, new Random(1)));
  }

  @Test
  void shouldAddCopiesForTheGivenShareWithTheLabelKept() {
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String text = i % 2 == 0 ? "the women " + i + " are here" : "a plain text " + i;
      rows.add(new Example("r" + i, text, i % 3 == 0 ? 1 : 0, null));
    }
    IdentityAugmentation.Result r = IdentityAugmentation.augment(rows, 0.3, 5, LEX);
    assertEquals(50, r.candidates());
    assertEquals(15, r.added());
    assertEquals(115, r.examples().size());
    for (int i = 0; i < r.examples().size(); i++) {
      Example e = r.examples().get(i);
      if (e.id().endsWith("~swap")) {
        Example original = r.examples().get(i - 1);
        assertEquals(original.id() + "~swap", e.id(), "a copy follows its original");
        assertEquals(original.label(), e.label());
        assertEquals(original.text().replace("women", "men"), e.text());
        assertEquals(original.id(), e.raw().get("augmented_from").asText());
      }
    }
    assertEquals(r.examples(), IdentityAugmentation.augment(rows, 0.3, 5, LEX).examples());
    assertNotEquals(r.examples(), IdentityAugmentation.augment(rows, 0.3, 6, LEX).examples());
    assertEquals(rows, IdentityAugmentation.augment(rows, 0, 5, LEX).examples());
    assertEquals(150, IdentityAugmentation.augment(rows, 1, 5, LEX).examples().size());
    assertThrows(
        IllegalArgumentException.class, () -> IdentityAugmentation.augment(rows, 1.5, 5, LEX));
  }

  @Test
  void shouldFindIdentitiesInMostHateXplainLikeTextsWithTheBundledLexicon() {
    IdentityTerms bundled = IdentityTerms.bundled();
    String s =
        IdentityAugmentation.swap("<user> all muslims should leave", bundled, new Random(3))
            .orElseThrow();
    assertTrue(s.startsWith("<user> all ") && s.endsWith(" should leave"), s);
    String swapped = s.substring("<user> all ".length(), s.length() - " should leave".length());
    IdentityTerms.Term t = bundled.term(swapped).orElseThrow();
    assertEquals("religion", t.category());
    assertEquals("pl", t.form());
    assertNotEquals("islam", t.identity());
  }
}
