package dev.candor.stream.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.flags.internals.Evidence;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IdentityLexiconTest {

  private static IdentityLexicon.Entry entry(IdentityLexicon lex, String term) {
    return lex.entries().stream().filter(e -> e.term().equals(term)).findFirst().orElseThrow();
  }

  @Test
  void shouldShipEveryCategoryTheIssueNames() {
    Set<String> categories =
        IdentityLexicon.bundled().entries().stream()
            .map(IdentityLexicon.Entry::category)
            .collect(Collectors.toSet());
    assertEquals(
        Set.of("religion", "ethnicity", "nationality", "gender", "sexuality", "disability"),
        categories);
  }

  @Test
  void shouldSwapToOtherIdentitiesOfTheSameCategoryAndForm() {
    IdentityLexicon lex = IdentityLexicon.bundled();
    assertEquals(
        List.of("christians", "jews"),
        lex.swaps(entry(lex, "muslims"), 2).stream().map(IdentityLexicon.Entry::term).toList());
    assertEquals(
        List.of("men"),
        lex.swaps(entry(lex, "women"), 1).stream().map(IdentityLexicon.Entry::term).toList());
    List<IdentityLexicon.Entry> wrap = lex.swaps(entry(lex, "atheists"), 1);
    assertEquals("muslims", wrap.get(0).term(), "the last identity wraps to the first");
  }

  @Test
  void shouldFindLongestTermsCaseInsensitively() {
    IdentityLexicon lex = IdentityLexicon.bundled();
    String text = "African Americans and able-bodied folks";
    Evidence ev =
        Evidence.of(Explanations.of(text, "toxic", 0.9, 0.0), ArtifactPatterns.defaults());
    List<String> found =
        lex.find(ev).stream().map(m -> m.entry().term()).collect(Collectors.toList());
    assertEquals(List.of("african americans", "able-bodied"), found);
  }

  @Test
  void shouldRejectMalformedLines() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IdentityLexicon.parse(List.of("# c", "religion\tpl\tmuslims"), "x.tsv"));
    assertTrue(e.getMessage().contains("x.tsv line 2"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> IdentityLexicon.parse(List.of("religion\tpl\t\tmuslims"), "x.tsv"));
  }
}
