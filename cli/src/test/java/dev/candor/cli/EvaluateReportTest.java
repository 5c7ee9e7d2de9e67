package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.provenance.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateReportTest {
  private static final String[] ROWS = {
    row("a1", "you are a wonderful person and i like you", 0, "[]", "0,0,0,0,0,0,0,0,0"),
    row(
        "a2",
        "go back to where you came from nobody wants you",
        1,
        "[\"Refugee\"]",
        "1,1,0,0,0,0,0,1,0"),
    row("a3", "these people are vermin and should leave", 1, "[\"African\"]", "0,1,0,1,0,0,0"),
    row("a4", "the weather is nice today in the park", 0, "[\"African\"]", "0,0,0,0,0,0,0,0"),
    row("a5", "i hate all of them they are disgusting", 1, "[\"Refugee\"]", "0,1,0,0,0,0,0,1"),
    row("a6", "thanks for sharing this lovely recipe", 0, "[\"Refugee\"]", "0,0,0,0,0,0"),
    row("a7", "what a stupid idiot you are", 1, "[\"African\"]", "0,0,1,1,0,0"),
    row("a8", "see you at the meeting tomorrow", 0, "[]", "0,0,0,0,0,0"),
  };

  private static String row(String id, String text, int label, String targets, String rationale) {
    StringBuilder tokens = new StringBuilder();
    for (String w : text.split(" ")) {
      tokens.append(tokens.length() == 0 ? "" : ",").append('"').append(w).append('"');
    }
    return "{\"id\":\""
        + id
        + "\",\"text\":\""
        + text
        + "\",\"label\":"
        + label
        + ",\"label_name\":\""
        + (label == 1 ? "toxic" : "normal")
        + "\",\"targets\":"
        + targets
        + ",\"tokens\":["
        + tokens
        + "],\"rationale\":["
        + rationale
        + "]}";
  }

  private static Path bundle(Path dir, boolean bcos, long seed) throws Exception {
    return bundle(dir, bcos, 1.5, seed);
  }

  private static Path bundle(Path dir, boolean bcos, double b, long seed) throws Exception {
    return TestModels.writeBundle(dir, bcos, b, seed).dir();
  }

  @Test
  void shouldWriteAReportWithARowPerModelAndExplainer(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("val.jsonl");
    Files.write(data, List.of(ROWS), StandardCharsets.UTF_8);
    Path bcos = bundle(tmp.resolve("tiny-bcos"), true, 1);
    Path conv = bundle(tmp.resolve("tiny-conv"), false, 2);
    Path out = tmp.resolve("docs");
    CliTest.Run run =
        CliTest.run(
            "evaluate",
            "--report",
            "--models",
            bcos + "," + conv,
            "--file",
            data.toString(),
            "--explainers",
            "bcos,saliency,ixg,ig,occlusion-pad,lime,occlusion,attention,rollout,shapley,random",
            "--targets",
            "logit,relative",
            "--lime-samples",
            "20",
            "--ig-steps",
            "4",
            "--shapley-samples",
            "2",
            "--seed",
            "5",
            "--protocol",
            "eraser",
            "--device",
            "cpu",
            "--out",
            out.toString());
    assertEquals(0, run.code(), run.err());
    String md = Files.readString(out.resolve("evaluation.md"));
    assertTrue(Files.exists(out.resolve("evaluation.json")));
    for (String e :
        List.of(
            "bcos",
            "saliency",
            "ixg",
            "ig",
            "occlusion-pad",
            "lime",
            "occlusion",
            "attention",
            "rollout",
            "shapley",
            "random")) {
      assertTrue(md.contains("| tiny-bcos | " + e + " | "), "missing tiny-bcos/" + e + "\n" + md);
      if (!e.equals("bcos")) {
        assertTrue(md.contains("| tiny-conv | " + e + " | "), "missing tiny-conv/" + e + "\n" + md);
      }
    }
    assertFalse(md.contains("| tiny-conv | bcos |"), md);
    assertTrue(md.contains("tiny-conv: bcos explainer skipped"), md);
    assertTrue(md.contains(Hashing.sha256(data)), "dataset sha256 in provenance\n" + md);
    for (Path b : List.of(bcos, conv)) {
      String manifest = ModelBundle.verify(b);
      assertTrue(
          md.contains(b.getFileName() + ": manifest sha256 `" + manifest + "`"),
          "manifest sha256 of " + b + " in provenance\n" + md);
    }
    assertTrue(md.contains("by `TestModels.writeBundle`"), "bundle provenance\n" + md);
    JsonNode models =
        new ObjectMapper()
            .readTree(out.resolve("evaluation.json").toFile())
            .get("provenance")
            .get("models");
    assertEquals(ModelBundle.verify(bcos), models.get(0).get("manifestSha256").asText());
    assertEquals("TestModels.writeBundle", models.get(0).get("provenance").get("command").asText());
    assertTrue(md.contains("eraser-bins"), md);
    assertTrue(md.contains("`candor evaluate --report --models"), md);
    // Every result row carries numbers for accuracy, Comp and Suff (mean and AUC), the model's
    // mean predicted-class probability, and a time per text. Target-dependent explainers (bcos,
    // saliency, ixg, ig, occlusion-pad) have a row per target: 5·2 + 6 on the B-cos model, 4·2 +
    // 6 on the conventional one.
    String results = md.substring(md.indexOf("## Results"), md.indexOf("## Explanation cost"));
    long rows = results.lines().filter(l -> l.startsWith("| tiny-")).count();
    assertEquals(30, rows, md);
    assertTrue(results.contains("| tiny-bcos | bcos | relative | "), md);
    assertTrue(results.contains("| tiny-conv | lime | probability | "), md);
    assertTrue(results.contains("| tiny-conv | random | none | "), md);
    results
        .lines()
        .filter(l -> l.startsWith("| tiny-"))
        .forEach(
            l -> {
              String[] cells = l.split("\\|");
              assertTrue(cells[4].trim().matches("\\d\\.\\d{3}"), "accuracy in " + l);
              assertTrue(cells[7].trim().matches("\\d\\.\\d{3}"), "P(pred) in " + l);
              assertTrue(cells[8].trim().matches("-?\\d\\.\\d{3}"), "Comp in " + l);
              assertTrue(cells[9].trim().matches("-?\\d\\.\\d{3}"), "Comp AUC in " + l);
              assertTrue(cells[10].trim().matches("-?\\d\\.\\d{3}"), "Suff in " + l);
              assertTrue(cells[11].trim().matches("-?\\d\\.\\d{3}"), "Suff AUC in " + l);
              assertTrue(cells[13].trim().matches("\\d\\.\\d{3}"), "plausibility in " + l);
              assertTrue(cells[14].trim().matches("\\d\\.\\d{3}"), "top-k F1 in " + l);
              assertTrue(cells[15].trim().matches("[01]\\.\\d{3}"), "entropy in " + l);
              assertTrue(cells[19].trim().matches("\\d+\\.\\d"), "ms/text in " + l);
            });
    assertTrue(md.contains("Protocol: explanation target(s)"), md);
    assertTrue(md.contains("erasure token [MASK]"), md);
    assertTrue(md.contains("| tiny-conv | lime | probability | 20 | "), md);
    // One B only: no sweep; no spans file: no Toxic Spans table; IG with 4 steps: no cost target.
    assertFalse(md.contains("## B sweep"), md);
    assertFalse(Files.exists(out.resolve("bsweep-accuracy.svg")));
    assertFalse(md.contains("## Toxic Spans"), md);
    assertTrue(md.contains("## Targets\n"), md);
    assertTrue(
        md.contains(
            "(b) Explanation cost, 50-step IG ms/text ÷ B-cos ms/text on the same texts"
                + " (target ≥ 20×): tiny-bcos not measured (IG ran with 4 steps, not 50)."),
        md);
    assertTrue(
        md.lines()
            .anyMatch(
                l ->
                    l.startsWith("- (a) ")
                        && l.contains("tiny-bcos `bcos` ")
                        && l.contains(" vs tiny-conv `")
                        && l.matches(".* points — (met|missed)\\.")),
        md);
    assertTrue(
        md.lines()
            .anyMatch(
                l ->
                    l.startsWith("- (c) ")
                        && l.contains("tiny-bcos 0.")
                        && l.matches(
                            ".* vs tiny-conv \\d\\.\\d{3} = [+-]\\d+\\.\\d points —"
                                + " (met|missed)\\.")),
        md);
  }

  /** Code-point offsets, as Toxic Spans stores them: the emoji makes them differ from UTF-16. */
  private static String spansRow(String id, String text, String... toxicWords) {
    StringBuilder spans = new StringBuilder();
    for (String w : toxicWords) {
      int at = text.codePointCount(0, text.indexOf(w));
      spans
          .append(spans.length() == 0 ? "" : ",")
          .append('[')
          .append(at)
          .append(',')
          .append(at + w.codePointCount(0, w.length()))
          .append(']');
    }
    return "{\"id\":\""
        + id
        + "\",\"text\":\""
        + text
        + "\",\"label\":"
        + (toxicWords.length > 0 ? 1 : 0)
        + ",\"label_name\":\""
        + (toxicWords.length > 0 ? "toxic" : "no_span")
        + "\",\"spans\":["
        + spans
        + "]}";
  }

  @Test
  void shouldSweepBScoreToxicSpansAndCheckTheTargets(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("val.jsonl");
    Files.write(data, List.of(ROWS), StandardCharsets.UTF_8);
    Path spans = tmp.resolve("trial.jsonl");
    Files.write(
        spans,
        List.of(
            spansRow(
                "t1", "\uD83D\uDE00\uD83D\uDE00 you are an idiot and a moron", "idiot", "moron"),
            spansRow("t2", "nobody cares about your stupid opinion", "stupid"),
            spansRow("t3", "have a nice day everyone"),
            spansRow("t4", "shut up you pathetic loser", "pathetic loser")),
        StandardCharsets.UTF_8);
    Path low = bundle(tmp.resolve("bcos-low"), true, 1.25, 1);
    Path high = bundle(tmp.resolve("bcos-high"), true, 2.0, 3);
    Path conv = bundle(tmp.resolve("conv"), false, 2);
    Path out = tmp.resolve("docs");
    CliTest.Run run =
        CliTest.run(
            "evaluate",
            "--report",
            "--models",
            high + "," + conv + "," + low,
            "--file",
            data.toString(),
            "--explainers",
            "bcos,saliency,ig",
            "--ig-steps",
            "50",
            "--seed",
            "5",
            "--protocol",
            "eraser",
            "--seqpg-pairs",
            "2",
            "--spans-file",
            spans.toString(),
            "--device",
            "cpu",
            "--out",
            out.toString());
    assertEquals(0, run.code(), run.err());
    String md = Files.readString(out.resolve("evaluation.md"));
    assertTrue(run.out().contains(out.resolve("bsweep-comp.svg").toString()), run.out());

    // B sweep: three plots with one point per B, embedded under "B sweep" with a table sorted by B.
    assertTrue(md.contains("## B sweep\n"), md);
    for (String plot : List.of("bsweep-accuracy.svg", "bsweep-comp.svg", "bsweep-entropy.svg")) {
      String svg = Files.readString(out.resolve(plot));
      assertTrue(svg.startsWith("<svg"), svg);
      assertEquals(2, svg.split("<circle", -1).length - 1, plot + "\n" + svg);
      assertTrue(md.contains("](" + plot + ")"), plot + " linked\n" + md);
    }
    assertTrue(
        md.contains("| B | Model | Accuracy | Macro-F1 | AUROC | Comp ↑ | Suff ↓ | Entropy |"), md);
    String number = " -?\\d\\.\\d{3} \\|";
    assertTrue(
        md.lines().anyMatch(l -> l.matches("\\| 1\\.25 \\| bcos-low \\|(" + number + "){6}")), md);
    assertTrue(
        md.lines().anyMatch(l -> l.matches("\\| 2\\.00 \\| bcos-high \\|(" + number + "){6}")), md);
    assertTrue(md.indexOf("| 1.25 | bcos-low") < md.indexOf("| 2.00 | bcos-high"), md);
    assertFalse(
        md.substring(md.indexOf("## B sweep"))
            .lines()
            .takeWhile(l -> !l.startsWith("!["))
            .anyMatch(l -> l.contains("| conv |")),
        "conventional model not in the sweep\n" + md);

    // Toxic Spans: a row per model and explainer, 3 texts with spans (t3 has none).
    assertTrue(md.contains("## Toxic Spans plausibility"), md);
    assertTrue(md.contains(Hashing.sha256(spans)), "spans file in provenance\n" + md);
    for (String m : List.of("bcos-high", "bcos-low", "conv")) {
      for (String e : List.of("bcos", "saliency", "ig")) {
        if (m.equals("conv") && e.equals("bcos")) {
          continue;
        }
        assertTrue(
            md.lines()
                .anyMatch(
                    l -> l.matches("\\| " + m + " \\| " + e + " \\| 3 \\|(" + number + "){2}")),
            m + "/" + e + " Toxic Spans\n" + md);
      }
    }
    assertTrue(md.contains("conv: Toxic Spans explain class 1 (toxic)"), md);
    JsonNode json = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
    for (JsonNode row : json.get("rows")) {
      assertTrue(
          row.get("toxicSpansAuprc").isNumber() && row.get("toxicSpansTopKF1").isNumber(),
          row.toString());
      assertTrue(
          row.get("entropy").isNumber() && row.get("plausibilityTopKF1").isNumber(),
          row.toString());
      assertEquals(3, row.get("toxicSpansTexts").asInt(), row.toString());
      assertEquals(
          !row.get("model").asText().equals("conv"), row.get("bcos").asBoolean(), row.toString());
    }

    // Targets: every target measured, per B-cos model, ending in met or missed with the numbers.
    String targets = md.substring(md.indexOf("## Targets"));
    List<String> lines = targets.lines().filter(l -> l.startsWith("- (")).toList();
    assertEquals(6, lines.size(), targets);
    lines.forEach(l -> assertTrue(l.endsWith("— met.") || l.endsWith("— missed."), l));
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith("- (b) ")
                        && l.matches(
                            ".*: bcos-low `ig` \\(50 steps\\) \\d+\\.\\d ms vs bcos-low `bcos`"
                                + " \\d+\\.\\d ms = \\d+\\.\\d× — (met|missed)\\.")),
        targets);
    assertFalse(targets.contains("not measured"), targets);
  }

  @Test
  void shouldEvaluateSweepModelsWithTheBcosExplainerOnly(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("val.jsonl");
    Files.write(data, List.of(ROWS), StandardCharsets.UTF_8);
    Path conv = bundle(tmp.resolve("conv"), false, 2);
    Path low = bundle(tmp.resolve("sweep-low"), true, 1.0, 1);
    Path high = bundle(tmp.resolve("sweep-high"), true, 2.5, 3);
    Path out = tmp.resolve("docs");
    CliTest.Run run =
        CliTest.run(
            "evaluate",
            "--report",
            "--models",
            conv.toString(),
            "--sweep-models",
            low + "," + high,
            "--file",
            data.toString(),
            "--explainers",
            "bcos,saliency",
            "--seqpg-pairs",
            "1",
            "--device",
            "cpu",
            "--out",
            out.toString(),
            "--note",
            "Companion: full-set/evaluation.md");
    assertEquals(0, run.code(), run.err());
    assertTrue(
        Files.readString(out.resolve("evaluation.md"))
            .contains("\n- Companion: full-set/evaluation.md\n"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
    List<String> rows = new java.util.ArrayList<>();
    json.get("rows")
        .forEach(r -> rows.add(r.get("model").asText() + "/" + r.get("explainer").asText()));
    assertEquals(List.of("conv/saliency", "sweep-low/bcos", "sweep-high/bcos"), rows);
    assertTrue(Files.exists(out.resolve("bsweep-comp.svg")));
  }

  @Test
  void shouldDocumentTheReportOptions() {
    CliTest.Run run = CliTest.run("evaluate", "--help");
    assertEquals(0, run.code());
    String help = run.out();
    for (String option :
        List.of(
            "--report",
            "--models",
            "--explainers",
            "--ig-steps",
            "--shapley-samples",
            "--seed",
            "--protocol",
            "--seqpg-pairs",
            "--spans-file",
            "--out",
            "--limit")) {
      assertTrue(help.contains(option), option + " in\n" + help);
    }
    assertTrue(help.contains("50%)") && !help.contains("%%"), "format escapes rendered\n" + help);
  }

  @Test
  void shouldRejectAnUnknownExplainerBeforeLoadingModels(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("val.jsonl");
    Files.write(data, List.of(ROWS), StandardCharsets.UTF_8);
    CliTest.Run run =
        CliTest.run(
            "evaluate",
            "--report",
            "--models",
            tmp.resolve("none").toString(),
            "--file",
            data.toString(),
            "--explainers",
            "anchors",
            "--out",
            tmp.toString());
    assertTrue(run.code() != 0);
    assertTrue(run.err().contains("unknown explainer 'anchors'"), run.err());
    CliTest.Run badTarget =
        CliTest.run(
            "evaluate",
            "--report",
            "--models",
            tmp.resolve("none").toString(),
            "--file",
            data.toString(),
            "--targets",
            "softmax",
            "--out",
            tmp.toString());
    assertTrue(badTarget.code() != 0);
    assertTrue(badTarget.err().contains("logit or relative"), badTarget.err());
    CliTest.Run blank =
        CliTest.run(
            "evaluate",
            "--report",
            "--models",
            tmp.resolve("none").toString(),
            "--file",
            data.toString(),
            "--note",
            " ",
            "--out",
            tmp.toString());
    assertEquals(2, blank.code(), blank.err());
    assertTrue(blank.err().contains("--note must be one non-blank line"), blank.err());
  }
}
