package dev.candor.evaluation.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.model.CandorModel;
import dev.candor.model.TestModels;
import dev.candor.model.data.Example;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunInputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CandorModel model;

  @BeforeAll
  static void load() {
    model = TestModels.tiny(true, 1.5, DataType.FLOAT32, 1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void rationaleCoversEveryWordPieceOfAMarkedWord() throws Exception {
    var raw =
        JSON.readTree(
            "{\"tokens\":[\"the\",\"unbelievably\",\"nice\",\"dog\"],"
                + "\"rationale\":[0,1,0,1]}");
    TokenizedText t = model.tokenizer().encode("the unbelievably nice dog");
    boolean[] r = Rationales.wordPieces(raw, t);
    assertEquals(t.length(), r.length);
    for (int j = 0; j < t.length(); j++) {
      String word = t.special()[j] ? null : t.text().substring(t.starts()[j], t.ends()[j]);
      boolean expected =
          word != null
              && ("unbelievably".contains(word) || word.equals("dog"))
              && !word.equals("the")
              && !word.equals("nice");
      assertEquals(expected, r[j], "token " + t.tokens()[j]);
    }
    assertTrue(t.length() > 6, "'unbelievably' should split into several word-pieces");
    assertFalse(r[0]);
    assertNull(Rationales.wordPieces(JSON.readTree("{\"tokens\":[\"cat\"],\"rationale\":[1]}"), t));
    assertNull(Rationales.wordPieces(JSON.readTree("{\"text\":\"x\"}"), t));
  }

  @Test
  void seqPgInputJoinsTwoTextsBetweenOneClsAndOneSep() {
    TokenizedText a = model.tokenizer().encode("you are kind");
    TokenizedText b = model.tokenizer().encode("they are awful people indeed");
    SeqPgInput in = SeqPgInput.concatenate(a, b, 4);
    TokenizedText t = in.text();
    assertEquals(2 + 3 + 4, t.length());
    assertEquals(a.ids()[0], t.ids()[0]);
    assertEquals(a.ids()[a.length() - 1], t.ids()[t.length() - 1]);
    assertEquals(1, in.startA());
    assertEquals(4, in.endA());
    assertEquals(4, in.startB());
    assertEquals(8, in.endB());
    assertArrayEquals(
        new boolean[] {true, false, false, false, false, false, false, false, true}, t.special());
    for (int j = in.startB(); j < in.endB(); j++) {
      assertEquals(t.tokens()[j].replace("##", ""), t.text().substring(t.starts()[j], t.ends()[j]));
    }
    assertEquals(3, t.wordIds()[in.startB()]);
  }

  @Test
  void sampleIsSeededAndKeepsFileOrder() {
    List<Example> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(new Example("e" + i, "t", i % 2, null));
    }
    List<Example> a = EvaluationRun.sample(all, 10, 3);
    assertEquals(a, EvaluationRun.sample(all, 10, 3));
    assertFalse(a.equals(EvaluationRun.sample(all, 10, 4)));
    for (int i = 1; i < a.size(); i++) {
      assertTrue(all.indexOf(a.get(i - 1)) < all.indexOf(a.get(i)));
    }
    assertEquals(all, EvaluationRun.sample(all, 0, 3));
  }

  @Test
  void toxicSpansAreCodePointOffsetsMappedToOverlappingWordPieces() throws Exception {
    String text = "\uD83D\uDE00\uD83D\uDE00 you idiot, nice";
    // code points: two emoji, a space, "you " -> "idiot" starts at code point 7 (UTF-16 index 9)
    var raw = JSON.readTree("{\"text\":\"x\",\"label\":1,\"spans\":[[7,12],[3,3]]}");
    assertEquals(1, ToxicSpans.spans(raw).size(), "empty span dropped");
    TokenizedText t = model.tokenizer().encode(text);
    boolean[] r = ToxicSpans.wordPieces(raw, t);
    int positives = 0;
    for (int j = 0; j < t.length(); j++) {
      String piece = t.special()[j] ? "" : text.substring(t.starts()[j], t.ends()[j]);
      assertEquals(
          !t.special()[j] && "idiot".contains(piece) && !piece.isEmpty(), r[j], "token " + piece);
      positives += r[j] ? 1 : 0;
    }
    assertTrue(positives >= 1);
    assertFalse(r[0]);
    List<Example> all =
        List.of(
            new Example("a", "x", 1, raw),
            new Example("b", "y", 0, JSON.readTree("{\"spans\":[]}")),
            new Example("c", "z", 0, null));
    assertEquals(List.of("a"), ToxicSpans.withSpans(all).stream().map(Example::id).toList());
    assertEquals(1, ToxicSpans.toxicClass(List.of("normal", "toxic", "other")));
    assertEquals(2, ToxicSpans.toxicClass(List.of("neg", "neu", "pos")));
  }
}
