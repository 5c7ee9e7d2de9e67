package dev.candor.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the class field of a JSONL dataset: HateXplain's binary label or its label3. */
class JsonlDatasetLabelsTest {
  @TempDir Path tmp;

  private static String row(String id, int label, String name, String label3) {
    return String.format(
        "{\"id\":\"%s\",\"text\":\"text %s\",\"label\":%d,\"label_name\":\"%s\","
            + "\"label3\":\"%s\",\"source\":\"gab\"}%n",
        id, id, label, name, label3);
  }

  private JsonlDataset hatexplainLike() throws IOException {
    Path f = tmp.resolve("hx.jsonl");
    Files.writeString(
        f,
        row("a", 0, "normal", "normal")
            + row("b", 1, "toxic", "hatespeech")
            + row("c", 1, "toxic", "offensive")
            + row("d", 0, "normal", "normal"));
    return JsonlDataset.read(f);
  }

  @Test
  void shouldOrderHateXplainsThreeClassesFromBenignToMostSevere() throws IOException {
    JsonlDataset ds = hatexplainLike();
    assertEquals(List.of("normal", "offensive", "hatespeech"), ds.fieldValues("label3"));
    assertEquals(List.of("gab"), ds.fieldValues("source"));
    Path other = tmp.resolve("other.jsonl");
    Files.writeString(other, row("x", 0, "n", "zeta") + row("y", 1, "t", "alpha"));
    assertEquals(List.of("alpha", "zeta"), JsonlDataset.read(other).fieldValues("label3"));
  }

  @Test
  void shouldKeepOnlyTheNamedClassesWithTheirIndices() throws IOException {
    JsonlDataset toxic = hatexplainLike().keepLabels(List.of("toxic"));
    assertEquals(List.of("b", "c"), toxic.examples().stream().map(Example::id).toList());
    assertEquals(List.of(1, 1), toxic.examples().stream().map(Example::label).toList());
    // no row names class 0 any more, so it mixes with a source that calls class 0 otherwise
    assertEquals(List.of("0", "toxic"), toxic.labelNames());
    assertEquals(4, hatexplainLike().keepLabels(List.of("normal", "toxic")).examples().size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> hatexplainLike().keepLabels(List.of("no_span")));
    assertTrue(e.getMessage().contains("has no class 'no_span'"), e.getMessage());
  }

  @Test
  void shouldPutEveryRowInOneClassOfTheMix() throws IOException {
    JsonlDataset benign = hatexplainLike().asClass(0, "normal");
    assertEquals(List.of(0, 0, 0, 0), benign.examples().stream().map(Example::label).toList());
    assertEquals(List.of("normal"), benign.labelNames());
    assertEquals("normal", benign.examples().get(1).raw().get("label_name").asText());
    assertEquals("text b", benign.examples().get(1).text());
    JsonlDataset toxic = hatexplainLike().asClass(1, "toxic");
    // class 0 is named by no row, so the source mixes with any first source's class 0
    assertEquals(List.of("0", "toxic"), toxic.labelNames());
    assertThrows(IllegalArgumentException.class, () -> hatexplainLike().asClass(-1, "x"));
  }

  @Test
  void shouldStripPunctuationButKeepApostrophesAndPlaceholders() throws IOException {
    Path f = tmp.resolve("p.jsonl");
    Files.writeString(
        f,
        "{\"id\":\"a\",\"text\":\"Hello, <user>! Isn't it great?? (yes) 3.5%\",\"label\":1}\n"
            + "{\"id\":\"b\",\"text\":\"...\",\"label\":0}\n");
    JsonlDataset plain = JsonlDataset.read(f).withoutPunctuation();
    assertEquals("Hello <user> Isn't it great yes 3 5", plain.examples().get(0).text());
    assertEquals(
        "Hello <user> Isn't it great yes 3 5", plain.examples().get(0).raw().get("text").asText());
    assertEquals("", plain.examples().get(1).text());
    assertEquals(1, plain.examples().get(0).label());
  }

  @Test
  void shouldRelabelRowsFromAStringField() throws IOException {
    JsonlDataset ds = hatexplainLike().withLabels("label3", JsonlDataset.HATEXPLAIN_3);
    assertEquals(List.of(0, 2, 1, 0), ds.examples().stream().map(Example::label).toList());
    assertEquals(JsonlDataset.HATEXPLAIN_3, ds.labelNames());
    assertEquals(2, ds.examples().get(1).raw().get("label").asInt());
    assertEquals("hatespeech", ds.examples().get(1).raw().get("label_name").asText());
    assertEquals("text b", ds.examples().get(1).text());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> hatexplainLike().withLabels("label3", List.of("normal", "offensive")));
    assertTrue(e.getMessage().contains("row b has label3 = 'hatespeech'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> hatexplainLike().withLabels("label4", JsonlDataset.HATEXPLAIN_3));
    assertTrue(e.getMessage().contains("no string field 'label4'"), e.getMessage());
  }

  @Test
  void shouldMapAFileToAModelsLabelsOrRefuse() throws IOException {
    JsonlDataset ds = hatexplainLike();
    assertSame(ds, ds.forLabels(List.of("normal", "toxic")));
    JsonlDataset three = ds.forLabels(JsonlDataset.HATEXPLAIN_3);
    assertEquals(List.of(0, 2, 1, 0), three.examples().stream().map(Example::label).toList());
    // another binary model keeps the indices, as before
    assertSame(ds, ds.forLabels(List.of("negative", "positive")));
    // a three-class model on a file that only has the binary label: refused, not misread
    Path binary = tmp.resolve("binary.jsonl");
    Files.writeString(
        binary,
        "{\"id\":\"1\",\"text\":\"t\",\"label\":0,\"label_name\":\"normal\"}\n"
            + "{\"id\":\"2\",\"text\":\"u\",\"label\":1,\"label_name\":\"toxic\"}\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JsonlDataset.read(binary).forLabels(JsonlDataset.HATEXPLAIN_3));
    assertTrue(e.getMessage().contains("not the model's"), e.getMessage());
  }
}
