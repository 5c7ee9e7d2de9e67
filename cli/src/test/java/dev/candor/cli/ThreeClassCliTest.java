package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.cli.CliTest.Run;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.WordAttribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code candor train --labels label3} end to end: a few training steps of the bundled MiniLM on a
 * tiny three-class set in HateXplain's format, then {@code explain} of every class and {@code
 * evaluate} with the per-class table and confusion matrix.
 */
class ThreeClassCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> THREE = List.of("normal", "offensive", "hatespeech");

  @TempDir static Path tmp;
  static Path bundle;
  static Run trained;

  /** HateXplain-shaped rows: binary label/label_name and the three-class label3. */
  static void writeToy3(Path dir, int rows) throws IOException {
    Files.createDirectories(dir);
    String[] texts = {"lovely day", "awful people", "vile vermin"};
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      int c = i % 3;
      out.append(
          String.format(
              "{\"id\":\"%d\",\"text\":\"%s\",\"label\":%d,\"label_name\":\"%s\","
                  + "\"label3\":\"%s\"}%n",
              i, texts[c], c == 0 ? 0 : 1, c == 0 ? "normal" : "toxic", THREE.get(c)));
    }
    Files.writeString(dir.resolve("train.jsonl"), out);
    Files.writeString(dir.resolve("val.jsonl"), out);
  }

  @BeforeAll
  static void train() throws IOException {
    writeToy3(tmp.resolve("data/toy3"), 48);
    bundle = tmp.resolve("three");
    trained =
        CliTest.run(
            "train",
            "--data",
            tmp.resolve("data").toString(),
            "--dataset",
            "toy3",
            "--labels",
            "label3",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--max-length",
            "16",
            "--out",
            bundle.toString());
  }

  @Test
  void shouldTrainAThreeClassBundleAndPrintItsPerClassFigures() throws IOException {
    assertEquals(0, trained.code(), trained.err());
    assertTrue(trained.err().contains("classes [normal, offensive, hatespeech]"), trained.err());
    assertTrue(trained.out().contains("best epoch 1"), trained.out());
    assertTrue(trained.out().contains("precision"), trained.out());
    assertTrue(trained.out().contains("confusion (rows: true"), trained.out());
    assertEquals(THREE, ModelBundle.read(bundle).config().labels());
    JsonNode validation = JSON.readTree(bundle.resolve("metrics.json").toFile()).get("validation");
    assertEquals(3, validation.get("confusion").size());
    assertEquals(3, validation.get("precision").size());
    assertEquals(List.of(16, 16, 16), ints(validation.get("support")));
  }

  @Test
  void shouldExplainEveryClassWithAttributionsSummingToItsLogit() throws IOException {
    Run r =
        CliTest.run(
            "explain", "--model", bundle.toString(), "--json", "--label", "all", "vile vermin");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    Set<String> explained = new HashSet<>();
    for (String line : lines) {
      JsonNode e = JSON.readTree(line);
      assertEquals(3, e.get("probabilities").size());
      String label = e.get("explained_label").asText();
      explained.add(label);
      double logit = e.get("logits").get(THREE.indexOf(label)).asDouble();
      assertEquals(logit, e.get("explained_logit").asDouble(), 0);
      double sum = 0;
      for (JsonNode t : e.get("tokens")) {
        sum += t.get("attribution").asDouble();
      }
      assertEquals(logit, sum, 1e-3 * Math.max(1, Math.abs(logit)), "class " + label);
    }
    assertEquals(Set.copyOf(THREE), explained);

    Run text =
        CliTest.run(
            "explain",
            "--model",
            bundle.toString(),
            "--color",
            "never",
            "--label",
            "offensive",
            "awful people");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("explaining 'offensive'"), text.out());
    assertTrue(text.out().contains("scores: normal "), text.out());
    assertTrue(text.out().contains("hatespeech "), text.out());

    Run classify = CliTest.run("classify", "--model", bundle.toString(), "awful people");
    assertEquals(0, classify.code(), classify.err());
    assertTrue(classify.out().contains("[normal "), classify.out());
    assertTrue(classify.out().contains(" offensive "), classify.out());

    Run unknown =
        CliTest.run("explain", "--model", bundle.toString(), "--label", "toxic", "awful people");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("normal, offensive, hatespeech"), unknown.err());
  }

  @Test
  void shouldEvaluateOnLabel3WithAThreeByThreeConfusionMatrix() throws IOException {
    Path val = tmp.resolve("data/toy3/val.jsonl");
    Run r =
        CliTest.run("evaluate", "--model", bundle.toString(), "--file", val.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode o = JSON.readTree(r.out());
    assertEquals(THREE, strings(o.get("labels")));
    JsonNode m = o.get("metrics");
    int total = 0;
    for (int t = 0; t < 3; t++) {
      assertEquals(3, m.get("confusion").get(t).size());
      int row = 0;
      for (JsonNode c : m.get("confusion").get(t)) {
        row += c.asInt();
      }
      assertEquals(16, row, "the rows of true class " + t + " are label3's, not label's");
      total += row;
    }
    assertEquals(48, total);
    Run table = CliTest.run("evaluate", "--model", bundle.toString(), "--file", val.toString());
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("hatespeech"), table.out());
    assertTrue(table.out().contains("support"), table.out());

    // a file with only the binary label cannot be scored by a three-class model
    Path binary = tmp.resolve("binary.jsonl");
    Files.writeString(
        binary,
        "{\"id\":\"1\",\"text\":\"lovely day\",\"label\":0,\"label_name\":\"normal\"}\n"
            + "{\"id\":\"2\",\"text\":\"awful people\",\"label\":1,\"label_name\":\"toxic\"}\n");
    Run refused =
        CliTest.run("evaluate", "--model", bundle.toString(), "--file", binary.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("not the model's"), refused.err());
  }

  @Test
  void shouldReportPerClassFiguresOfABinaryAndAThreeClassModelOnTheSameFile() throws IOException {
    Path binary = TinyBundle.write(tmp.resolve("binary-tiny"), 6);
    Path out = tmp.resolve("report");
    Run r =
        CliTest.run(
            "evaluate",
            "--report",
            "--models",
            binary + "," + bundle,
            "--file",
            tmp.resolve("data/toy3/val.jsonl").toString(),
            "--explainers",
            "bcos",
            "--seed",
            "5",
            "--device",
            "cpu",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    String md = Files.readString(out.resolve("evaluation.md"));
    assertTrue(md.contains("## Per class"), md);
    // the binary model is scored on label (16 normal, 32 toxic), the three-class one on label3
    assertTrue(md.contains("| toxic | "), md);
    assertTrue(md.contains("| 32 |"), md);
    assertTrue(md.contains("| hatespeech | "), md);
    assertTrue(md.contains("| true / predicted | normal | offensive | hatespeech |"), md);
    assertTrue(
        md.contains("three: bias AUCs of a 3-class model: toxic = every class but 'normal'"), md);
    JsonNode report = JSON.readTree(out.resolve("evaluation.json").toFile());
    JsonNode classes = report.get("classes");
    assertEquals(2, classes.size());
    assertEquals(List.of(16, 32), ints(classes.get(0).get("support")));
    assertEquals(List.of(16, 16, 16), ints(classes.get(1).get("support")));
    assertEquals(3, classes.get(1).get("confusion").size());
  }

  @Test
  void shouldShowEveryClassScoreAndTheExplainedClassWhenConsuming() {
    ExplainedPrediction p =
        ExplainedPrediction.newBuilder()
            .setId("t-1")
            .setModelVersion("three@abc")
            .setLabel("normal")
            .setLabelIndex(0)
            .setLabels(THREE)
            .setScores(List.of(0.6, 0.3, 0.1))
            .setLogits(List.of(1.0, 0.3, -0.8))
            .setExplainedLabelIndex(2)
            .setTokens(List.of())
            .setWords(List.of(new WordAttribution("vile", 0, 4, -0.5)))
            .setCompletenessResidual(0.0)
            .setTruncated(false)
            .setFlags(List.of())
            .setLatencyMs(5L)
            .setSubmittedAtMs(0L)
            .setTextSha256("00")
            .build();
    String line = ConsumeCommand.pretty(p);
    assertTrue(
        line.startsWith("t-1  normal 0.600 [normal 0.600 offensive 0.300 hatespeech 0.100]"), line);
    assertTrue(line.contains("top for 'hatespeech': vile -0.500"), line);
  }

  private static List<Integer> ints(JsonNode a) {
    List<Integer> out = new java.util.ArrayList<>();
    a.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new java.util.ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }
}
