package dev.candor.model.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {
  private static TextTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer =
        new TextTokenizer(MiniLmImporter.tokenizerJson(), ModelConfig.SpecialTokens.bert(), 16);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void shouldMapOffsetsIntoTheJavaStringPastAstralCharacters() {
    String text = "😀😀 hello naïve world";
    TokenizedText t = tokenizer.encode(text);
    assertTrue(t.special()[0]);
    assertTrue(t.special()[t.length() - 1]);
    assertEquals(-1, t.starts()[0]);
    boolean sawHello = false;
    for (int i = 0; i < t.length(); i++) {
      if (t.tokens()[i].equals("hello")) {
        assertEquals("hello", text.substring(t.starts()[i], t.ends()[i]));
        sawHello = true;
      }
      if (t.tokens()[i].equals("world")) {
        assertEquals("world", text.substring(t.starts()[i], t.ends()[i]));
      }
    }
    assertTrue(sawHello);
  }

  @Test
  void shouldReplaceLoneSurrogatesWithoutShiftingOffsets() {
    String text = "bad \uD800 surrogate \uDC00 here";
    TokenizedText t = tokenizer.encode(text);
    for (int i = 0; i < t.length(); i++) {
      if (t.tokens()[i].equals("surrogate")) {
        assertEquals("surrogate", text.substring(t.starts()[i], t.ends()[i]));
      }
    }
    assertEquals("a\uFFFDb", TextTokenizer.replaceLoneSurrogates("a\uD800b"));
    assertEquals("\uD83D\uDE00", TextTokenizer.replaceLoneSurrogates("\uD83D\uDE00"));
  }

  @Test
  void shouldTruncateLongTextsKeepingTheFinalSep() {
    String text = "word ".repeat(20_000); // 100k characters
    TokenizedText t = tokenizer.encode(text);
    assertEquals(16, t.length());
    assertTrue(t.truncated());
    assertEquals(20_000 - 14, t.droppedTokens());
    assertEquals(tokenizer.sepId(), t.ids()[15]);
    assertEquals(tokenizer.clsId(), t.ids()[0]);
  }

  @Test
  void shouldNotTruncateShortTexts() {
    TokenizedText t = tokenizer.encode("short text");
    assertFalse(t.truncated());
    assertEquals(0, t.droppedTokens());
    assertEquals(4, t.length());
  }
}
