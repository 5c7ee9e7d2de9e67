package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationTest {
  @Test
  void shouldQuoteOnlyArgumentsAShellWouldSplitOrExpand() {
    assertEquals(
        "candor evaluate --limit 300 --out docs/full-set --models a,b",
        Invocation.of(
            List.of("evaluate", "--limit", "300", "--out", "docs/full-set", "--models", "a,b")));
    assertEquals(
        "candor evaluate --note 'all 1,922 texts: see full-set/evaluation.md' 'it'\\''s' ''",
        Invocation.of(
            List.of(
                "evaluate", "--note", "all 1,922 texts: see full-set/evaluation.md", "it's", "")));
  }
}
