package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The candor command end to end on a tiny random-weight bundle: results and error messages. */
class CliTest {
  @TempDir static Path tmp;
  static Path bundle;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void writeTinyBundle() throws IOException {
    bundle = TinyBundle.write(tmp.resolve("tiny"), 4);
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CandorCommand.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldRenderEveryHelpTextWithoutAFormatWarning() {
    // picocli formats each description with String.format and, when that fails (a lone "30 %,"
    // read as a conversion), only warns on stderr and prints the raw text
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      ArrayDeque<CommandLine> todo = new ArrayDeque<>();
      todo.add(CandorCommand.commandLine());
      while (!todo.isEmpty()) {
        CommandLine c = todo.pop();
        todo.addAll(c.getSubcommands().values());
        assertFalse(c.getUsageMessage().isBlank(), c.getCommandName());
      }
    } finally {
      System.setErr(stderr);
    }
    assertEquals("", warnings.toString(StandardCharsets.UTF_8));
  }

  @Test
  void shouldExplainAsJsonWithCompleteAttributions() throws IOException {
    Run r = run("explain", "--model", bundle.toString(), "--json", "you are all idiots", "hello");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size());
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    double sum = 0;
    for (JsonNode t : first.get("tokens")) {
      sum += t.get("attribution").asDouble();
    }
    assertEquals(first.get("explained_logit").asDouble(), sum, 1e-3);
    assertEquals("you", first.get("words").get(0).get("word").asText());
    assertTrue(first.get("model_version").asText().startsWith("tiny@"));
  }

  @Test
  void shouldExplainTheRelativeTargetWhenAsked() throws IOException {
    Run r =
        run("explain", "--model", bundle.toString(), "--json", "--target", "relative", "you all");
    assertEquals(0, r.code(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertEquals("relative", n.get("explanation_target").asText());
    JsonNode z = n.get("logits");
    String label = n.get("explained_label").asText();
    int c = label.equals(n.get("label").asText()) ? argMax(z) : -1;
    double sum = 0;
    for (JsonNode t : n.get("tokens")) {
      sum += t.get("attribution").asDouble();
    }
    double expected = z.get(c).asDouble() - z.get(1 - c).asDouble();
    assertEquals(expected, n.get("explained_value").asDouble(), 1e-9);
    assertEquals(expected, sum, 1e-3);
    Run bad = run("explain", "--model", bundle.toString(), "--target", "softmax", "x");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("logit or relative"), bad.err());
  }

  private static int argMax(JsonNode v) {
    return v.get(1).asDouble() > v.get(0).asDouble() ? 1 : 0;
  }

  @Test
  void shouldPrintAHumanHeatmapWithoutColourWhenPiped() {
    Run r = run("explain", "--model", bundle.toString(), "--color", "never", "a b c");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("explaining '"), r.out());
    assertFalse(r.out().contains("\u001b["), "no escape codes with --color never");
    Run colour = run("explain", "--model", bundle.toString(), "--color", "always", "a b c");
    assertTrue(colour.out().contains("\u001b[48;5;"), colour.out());
  }

  @Test
  void shouldClassifyFromAFileOfLinesAndJsonl() throws IOException {
    Path f = tmp.resolve("texts.txt");
    Files.writeString(f, "plain line\n{\"id\":\"x\",\"text\":\"json line\"}\n\n");
    Run r = run("classify", "--model", bundle.toString(), "--json", "--file", f.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(2, r.out().lines().count());
    assertTrue(r.out().contains("\"text\":\"json line\""), r.out());
  }

  @Test
  void shouldExplainAFileInInputOrderWithTheSameResultsWhetherSubBatchedOrNot() throws IOException {
    Path f = tmp.resolve("mixed.txt");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      sb.append(
              i % 7 == 3
                  ? "line "
                      + i
                      + " is a much longer text with many more words than its neighbours"
                      + " so the batch would pad every short one to this width"
                  : "short " + i)
          .append('\n');
    }
    Files.writeString(f, sb.toString());
    for (String command : List.of("classify", "explain")) {
      Run on =
          run(
              command,
              "--model",
              bundle.toString(),
              "--json",
              "--batch-size",
              "8",
              "--file",
              "" + f);
      Run off =
          run(
              command,
              "--model",
              bundle.toString(),
              "--json",
              "--batch-size",
              "8",
              "--sub-batching",
              "off",
              "--file",
              f.toString());
      assertEquals(0, on.code(), on.err());
      assertEquals(0, off.code(), off.err());
      List<String> a = off.out().lines().toList();
      List<String> b = on.out().lines().toList();
      assertEquals(40, a.size());
      assertEquals(40, b.size());
      ObjectMapper json = new ObjectMapper();
      for (int i = 0; i < 40; i++) {
        JsonNode x = json.readTree(a.get(i));
        JsonNode y = json.readTree(b.get(i));
        assertEquals(sb.toString().lines().toList().get(i), y.get("text").asText(), "input order");
        assertClose(x, y, command + " line " + i);
      }
    }
  }

  /** Same structure; numbers equal to 1e-6. */
  private static void assertClose(JsonNode x, JsonNode y, String where) {
    if (x.isNumber() && !x.isIntegralNumber()) {
      assertEquals(x.asDouble(), y.asDouble(), 1e-6, where);
    } else if (x.isContainerNode()) {
      assertEquals(x.size(), y.size(), where);
      var names = x.fieldNames();
      if (x.isObject()) {
        while (names.hasNext()) {
          String n = names.next();
          assertClose(x.get(n), y.get(n), where + "." + n);
        }
      } else {
        for (int i = 0; i < x.size(); i++) {
          assertClose(x.get(i), y.get(i), where + "[" + i + "]");
        }
      }
    } else {
      assertEquals(x, y, where);
    }
  }

  @Test
  void shouldRejectEmptyTextWithOneClearLine() {
    Run r = run("explain", "--model", bundle.toString(), "   ");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("candor: error: text 1 is empty"), r.err());
    assertFalse(r.err().contains("at dev.candor"), "no stack trace: " + r.err());
  }

  @Test
  void shouldTruncateA100kCharacterTextAndSaySo() throws IOException {
    Run r = run("explain", "--model", bundle.toString(), "--json", "spam ".repeat(20_000));
    assertEquals(0, r.code(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    assertTrue(n.get("truncated").asBoolean());
    assertEquals(32, n.get("tokens").size());
    assertTrue(n.get("dropped_tokens").asInt() > 19_000);
  }

  @Test
  void shouldAcceptInvalidSurrogatesWithValidOffsets() throws IOException {
    String text = "broken \uD800 text \uDFFF end";
    Run r = run("explain", "--model", bundle.toString(), "--json", text);
    assertEquals(0, r.code(), r.err());
    JsonNode n = new ObjectMapper().readTree(r.out());
    for (JsonNode w : n.get("words")) {
      assertEquals(
          w.get("word").asText(), text.substring(w.get("start").asInt(), w.get("end").asInt()));
    }
  }

  @Test
  void shouldRefuseACorruptedBundle() throws IOException {
    Path copy = tmp.resolve("corrupt");
    Files.createDirectories(copy);
    try (var files = Files.list(bundle)) {
      for (Path p : files.toList()) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    Files.writeString(copy.resolve("config.json"), "{\"tampered\":true}");
    Run r = run("classify", "--model", copy.toString(), "hello");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("modified or corrupted: config.json"), r.err());
    Run missing = run("classify", "--model", tmp.resolve("nope").toString(), "hello");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no model bundle at"), missing.err());
  }

  @Test
  void shouldNameAMissingDataDirectory() {
    Run r = run("train", "--data", tmp.resolve("no-such-dir").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--data directory does not exist"), r.err());
  }

  @Test
  void shouldEvaluateAJsonlFile() throws IOException {
    Path f = tmp.resolve("eval.jsonl");
    Files.writeString(
        f,
        "{\"id\":\"1\",\"text\":\"good day\",\"label\":0}\n"
            + "{\"id\":\"2\",\"text\":\"awful people\",\"label\":1}\n"
            + "{\"id\":\"3\",\"text\":\"fine\",\"label\":0}\n");
    Run r = run("evaluate", "--model", bundle.toString(), "--file", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("accuracy"), r.out());
    assertTrue(r.out().contains("confusion"), r.out());
    Run json = run("evaluate", "--model", bundle.toString(), "--file", f.toString(), "--json");
    assertEquals(0, json.code(), json.err());
    assertEquals(
        dev.candor.model.bundle.ModelBundle.verify(bundle),
        new ObjectMapper().readTree(json.out()).get("model_manifest_sha256").asText());
    Files.writeString(f, "{\"id\":\"1\",\"text\":\"x\",\"label\":5}\n");
    Run bad = run("evaluate", "--model", bundle.toString(), "--file", f.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("has label 5"), bad.err());
  }

  @Test
  void shouldReportEachDetectorsFlagRateOnAJsonlFile() throws IOException {
    Path f = tmp.resolve("flags.jsonl");
    Files.writeString(
        f,
        "{\"id\":\"1\",\"text\":\"muslims are here\",\"label\":0}\n"
            + "{\"id\":\"2\",\"text\":\"Women talk\",\"label\":1}\n"
            + "{\"id\":\"3\",\"text\":\"nothing to swap\",\"label\":0}\n");
    Run r =
        run(
            "bench",
            "flags",
            "--model",
            bundle.toString(),
            "--file",
            f.toString(),
            "--json",
            "--batch",
            "2",
            "-D",
            "candor.flag.special.token.threshold=0",
            "-D",
            "candor.flag.counterfactual.min.share=0",
            "-D",
            "candor.flag.counterfactual.min.delta=0",
            "-D",
            "candor.flag.counterfactual.min.flip.delta=0");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(3, j.get("texts").asInt());
    assertEquals(4, j.get("counterfactual_texts_reclassified").asInt(), "2 swaps x 2 texts");
    JsonNode d = j.get("detectors");
    assertEquals(1.0, d.get("special-token-mass").get("rate").asDouble(), r.out());
    assertEquals(2.0 / 3, d.get("counterfactual-swap").get("rate").asDouble(), 1e-9, r.out());
    assertEquals(0.0, d.get("reviewer-rejected").get("rate").asDouble(), r.out());
    assertTrue(j.get("rule_ms_per_text").has("CounterfactualSwapRule"), r.out());

    Run bad =
        run(
            "bench",
            "flags",
            "--model",
            bundle.toString(),
            "--file",
            f.toString(),
            "-D",
            "candor.flag.no.such.key=1");
    assertTrue(bad.code() != 0, bad.out());
    assertTrue(bad.err().contains("candor.flag.no.such.key"), bad.err());
  }

  @Test
  void shouldConvertTheBundledMiniLmAndReportAMissingCheckpoint() throws IOException {
    Path out = tmp.resolve("converted");
    Run r = run("convert", "--from", "minilm", "--out", out.toString(), "--b", "1.25");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(out.resolve("MANIFEST.sha256")));
    assertTrue(r.out().contains("B-cos BERT (B=1.25"), r.out());
    JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
    assertTrue(
        prov.get("command").asText().startsWith("candor convert --from minilm"), prov.toString());
    assertEquals(64, prov.get("baseModelSha256").asText().length(), prov.toString());
    assertEquals(1.25, prov.get("hyperParameters").get("b").asDouble());
    Run missing =
        run(
            "convert",
            "--from",
            tmp.resolve("nothing").toString(),
            "--out",
            tmp.resolve("x").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("config.json is missing"), missing.err());
  }

  @Test
  void shouldTrainATinyRunIntoAVerifiableBundle() throws IOException {
    Path data = tmp.resolve("data/toy");
    ToyData.write(data, 32);
    Path out = tmp.resolve("trained");
    Run r =
        run(
            "train",
            "--data",
            tmp.resolve("data").toString(),
            "--dataset",
            "toy",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("epoch 1/1"), r.err());
    assertTrue(r.out().contains("best epoch 1"), r.out());
    JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
    assertEquals(64, prov.get("data").get(0).get("sha256").asText().length());
    assertEquals(1e-4, prov.get("hyperParameters").get("learning_rate").asDouble());
    assertTrue(prov.get("command").asText().startsWith("candor train --data"), prov.toString());
    assertEquals("train", prov.get("data").get(0).get("role").asText());
    assertEquals("validation", prov.get("data").get(1).get("role").asText());
    assertEquals(32, prov.get("data").get(1).get("rows").asInt());
    assertEquals(64, prov.get("baseModelSha256").asText().length(), prov.toString());
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(1, metrics.get("best_epoch").asInt(), metrics.toString());
    assertTrue(prov.get("baseModel").asText().contains("all-MiniLM-L6-v2"), prov.toString());
    assertTrue(r.err().contains("1 epochs ≈ 2 steps"), r.err());
    Run badBase =
        run(
            "train",
            "--data",
            tmp.resolve("data").toString(),
            "--dataset",
            "toy",
            "--base",
            tmp.resolve("no-such-encoder").toString(),
            "--out",
            tmp.resolve("never").toString());
    assertEquals(2, badBase.code());
    assertTrue(badBase.err().contains("config.json is missing"), badBase.err());
    assertFalse(Files.exists(tmp.resolve("never")));
    Run again =
        run(
            "train",
            "--data",
            tmp.resolve("data").toString(),
            "--dataset",
            "toy",
            "--out",
            out.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("--force"), again.err());
    Path notABundle = tmp.resolve("not-a-bundle");
    Files.createDirectories(notABundle);
    Files.writeString(notABundle.resolve("keep.txt"), "mine");
    Run forced =
        run(
            "train",
            "--data",
            tmp.resolve("data").toString(),
            "--dataset",
            "toy",
            "--force",
            "--out",
            notABundle.toString());
    assertEquals(2, forced.code());
    assertTrue(forced.err().contains("is not a model bundle"), forced.err());
    assertTrue(Files.exists(notABundle.resolve("keep.txt")));
  }

  @Test
  void shouldFailClearlyWhenBenchmarkTextsAreMissingUnlessBuiltinTextsAreAsked()
      throws IOException {
    String[] tiny = {
      "--model",
      bundle.toString(),
      "--device",
      "cpu",
      "--batch-sizes",
      "1",
      "--repeats",
      "1",
      "--texts-per-repeat",
      "1",
      "--train-steps",
      "0",
      "--out",
      tmp.resolve("bench.md").toString()
    };
    Run noData = run(concat(new String[] {"bench", "model", "--data", "/no/such/data"}, tiny));
    assertEquals(2, noData.code());
    assertTrue(
        noData.err().contains("no benchmark texts: --data directory does not exist"), noData.err());
    assertTrue(noData.err().contains("--builtin-texts"), noData.err());
    Path empty = tmp.resolve("bench-data/hatexplain");
    Files.createDirectories(empty);
    Run noFile =
        run(concat(new String[] {"bench", "model", "--data", empty.getParent().toString()}, tiny));
    assertEquals(2, noFile.code());
    assertTrue(noFile.err().contains("val.jsonl"), noFile.err());

    Run builtin = run(concat(new String[] {"bench", "model", "--builtin-texts"}, tiny));
    assertEquals(0, builtin.code(), builtin.err());
    assertTrue(
        builtin.out().contains("Texts: 6 built-in sentences (--builtin-texts)"), builtin.out());

    Files.writeString(
        empty.resolve("val.jsonl"),
        "{\"text\":\"a b\",\"label\":0}\n{\"text\":\"c d\",\"label\":1}\n");
    Run real =
        run(concat(new String[] {"bench", "model", "--data", empty.getParent().toString()}, tiny));
    assertEquals(0, real.code(), real.err());
    assertTrue(real.out().contains("Texts: 2 HateXplain validation texts from "), real.out());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
