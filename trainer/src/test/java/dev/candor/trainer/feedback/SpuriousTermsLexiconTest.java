package dev.candor.trainer.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.candor.model.data.IdentityTerms;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulated reviewers' identity words are a selection of Candor's one identity lexicon ({@link
 * IdentityTerms}), not a lexicon of their own: every one must be a term of it.
 */
class SpuriousTermsLexiconTest {
  @Test
  void shouldSelectOnlyTermsOfTheSharedLexicon() {
    IdentityTerms lexicon = IdentityTerms.bundled();
    List<String> missing =
        SpuriousTerms.IDENTITY.stream().filter(t -> lexicon.term(t).isEmpty()).toList();
    assertEquals(List.of(), missing);
  }
}
