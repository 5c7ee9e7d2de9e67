package dev.candor.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IdentityTermsTest {
  private final IdentityTerms lex = IdentityTerms.bundled();

  @Test
  void shouldShipEveryCategoryWithSingularAndPluralForms() {
    Set<String> categories =
        lex.terms().stream().map(IdentityTerms.Term::category).collect(Collectors.toSet());
    assertEquals(
        Set.of("religion", "ethnicity", "nationality", "gender", "sexuality", "disability"),
        categories);
    assertEquals("pl", lex.term("Muslims").orElseThrow().form());
    assertEquals("sg", lex.term("muslim").orElseThrow().form());
    assertEquals(64, lex.sha256().length());
  }

  @Test
  void shouldFindWholeWordsLongestFirstCaseInsensitively() {
    String text = "African Americans and able-bodied folks; not Muslimsss or transport";
    List<String> found =
        lex.find(text).stream().map(o -> o.term().term() + "=" + o.text()).toList();
    assertEquals(List.of("african americans=African Americans", "able-bodied=able-bodied"), found);
    IdentityTerms.Occurrence o = lex.find("I  like  WHITE   people").get(0);
    assertEquals("white people", o.term().term());
    assertEquals("WHITE   people", o.text());
  }

  @Test
  void shouldKeepTheLetterCaseOfTheOriginal() {
    assertEquals("christians", IdentityTerms.matchCase("muslims", "christians"));
    assertEquals("Christians", IdentityTerms.matchCase("Muslims", "christians"));
    assertEquals("CHRISTIANS", IdentityTerms.matchCase("MUSLIMS", "christians"));
    assertEquals("White People", IdentityTerms.matchCase("African Americans", "white people"));
    assertEquals("White people", IdentityTerms.matchCase("African americans", "white people"));
  }

  @Test
  void shouldRejectMalformedLines() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IdentityTerms.parse(List.of("# c", "religion\tpl\tmuslims"), "x.tsv"));
    assertTrue(e.getMessage().contains("x.tsv line 2"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> IdentityTerms.parse(List.of("religion\tpl\t\tmuslims"), "x.tsv"));
  }
}
