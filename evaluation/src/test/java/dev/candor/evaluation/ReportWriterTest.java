package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.ModelProvenance;
import dev.candor.model.train.ClassificationMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  @TempDir Path dir;

  private Report report(Path dataset) {
    ModelProvenance trained =
        new ModelProvenance(
            "2026-01-02T03:04:05Z",
            "candor train --epochs 3",
            "minilm",
            null,
            "abc123",
            Map.of("seed", 42),
            List.of(new DataSource("train", "/d/train.jsonl", "f00d", 12)),
            Map.of("java", "17"),
            null,
            null);
    List<EvaluatedModel> models =
        List.of(
            new EvaluatedModel("bcos-bert", "b1.5-e3", "1".repeat(64), trained),
            new EvaluatedModel("bert", "ft-e3", null, null));
    EvaluationProvenance provenance =
        new EvaluationProvenance(
            List.of(DataSource.ofFile("evaluation", dataset, 1)),
            "val",
            1922,
            models,
            MaskingProtocol.paperDeciles().describe(),
            13L,
            "candor eval --split val");
    ReportRow full =
        ReportRow.builder("bcos-bert", "B-cos")
            .classification(
                ClassificationMetrics.of(
                    new int[] {0, 1, 1}, new int[] {0, 1, 0}, new double[] {0.1, 0.9, 0.4}, 2))
            .target("logit")
            .meanPredictedProbability(0.91)
            .comp(0.61234)
            .compAuc(0.49)
            .suff(0.05)
            .seqPg(0.8)
            .plausibilityAuprc(0.7)
            .plausibilityTopKF1(0.6)
            .entropy(0.42)
            .biasSubgroupAuc(0.8)
            .biasBpsnAuc(0.75)
            .biasBnspAuc(Double.NaN)
            .explainMsPerText(12.345)
            .build();
    ReportRow sparse = ReportRow.builder("bert", "LIME | 500 samples").comp(0.5).build();
    return new Report(
        "HateXplain val", provenance, List.of(full, sparse), List.of("skipped subgroup: x"));
  }

  @Test
  void markdownHasProvenanceAndDashesForMissingValues() throws Exception {
    Path data = dir.resolve("val.jsonl");
    Files.writeString(data, "abc", StandardCharsets.UTF_8);
    String md = ReportWriter.markdown(report(data));
    assertTrue(md.startsWith("# HateXplain val\n"), md);
    assertTrue(
        md.contains("sha256 `ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad`"),
        md);
    assertTrue(md.contains("- Split: val\n- Examples: 1922\n"), md);
    assertTrue(md.contains("bcos-bert = `b1.5-e3`, bert = `ft-e3`"), md);
    assertTrue(
        md.contains(
            "  - bcos-bert: manifest sha256 `"
                + "1".repeat(64)
                + "`; made 2026-01-02T03:04:05Z by `candor train --epochs 3` at commit `abc123`;"
                + " base minilm; data train `/d/train.jsonl` (sha256 `f00d`, 12 rows)\n"),
        md);
    assertTrue(md.contains("  - bert: manifest sha256 `–`; provenance –\n"), md);
    assertTrue(md.contains("- Protocol: paper-deciles:"), md);
    assertTrue(md.contains("- Seed: 13\n- Command: `candor eval --split val`"), md);
    assertTrue(md.contains("| Plaus. AUPRC ↑ | Plaus. top-k F1 ↑ | Entropy | GMB-Sub |"), md);
    assertTrue(
        md.contains(
            "| bcos-bert | B-cos | logit | 0.667 | 0.667 | 1.000 | 0.910 | 0.612 | 0.490 | 0.050"
                + " | – | 0.800 | 0.700 | 0.600 | 0.420 | 0.800 | 0.750 | – | 12.3 |"),
        md);
    assertTrue(
        md.contains(
            "| bert | LIME \\| 500 samples | – | – | – | – | – | 0.500 | – | – | – | – | – | – | –"
                + " | – | – | – | – |"),
        md);
    assertFalse(md.contains("## Toxic Spans"), "no Toxic Spans table when not measured\n" + md);
    assertFalse(md.contains("## B sweep"), "no sweep without B-cos models of two B\n" + md);
    assertTrue(
        md.endsWith(
            "- (c) Accuracy, B-cos − conventional (target ≥ -3.0 points): not measured"
                + " (no B-cos model).\n"),
        md);
    assertTrue(md.contains("## Notes\n\n- skipped subgroup: x\n"), md);
    long header =
        md.lines()
            .filter(l -> l.startsWith("| Model"))
            .findFirst()
            .orElseThrow()
            .chars()
            .filter(c -> c == '|')
            .count();
    assertTrue(md.contains("## Explanation cost\n"), md);
    assertTrue(md.contains("| bcos-bert | B-cos | logit | – | 12.3 | – |\n"), md);
    md.substring(0, md.indexOf("## Explanation cost"))
        .lines()
        .filter(l -> l.startsWith("| b"))
        .forEach(
            row ->
                assertEquals(
                    header, row.replace("\\|", "").chars().filter(c -> c == '|').count(), row));
  }

  @Test
  void jsonUsesNullForMissingAndRoundTrips() throws Exception {
    Path data = dir.resolve("val.jsonl");
    Files.writeString(data, "abc", StandardCharsets.UTF_8);
    Report report = report(data);
    ReportWriter.write(report, dir.resolve("out"), "report");
    String json = Files.readString(dir.resolve("out/report.json"));
    JsonNode root = new ObjectMapper().readTree(json);
    JsonNode row = root.get("rows").get(0);
    assertTrue(row.get("biasBnspAuc").isNull());
    assertEquals(0.61234, row.get("comp").asDouble(), 1e-12);
    assertTrue(root.get("rows").get(1).get("accuracy").isNull());
    assertEquals(13, root.get("provenance").get("seed").asInt());
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        root.get("provenance").get("datasets").get(0).get("sha256").asText());
    JsonNode model = root.get("provenance").get("models").get(0);
    assertEquals("1".repeat(64), model.get("manifestSha256").asText());
    assertEquals("abc123", model.get("provenance").get("gitCommit").asText());
    assertEquals(report, new ObjectMapper().readValue(json, Report.class));
    assertTrue(Files.readString(dir.resolve("out/report.md")).contains("## Results"));
    assertTrue(row.get("plausibilityTopKF1").isNumber() && row.get("entropy").isNumber(), json);
    assertTrue(row.get("toxicSpansAuprc").isNull(), json);
  }

  @Test
  void toxicSpansRowsGetTheirOwnTable() throws Exception {
    ReportRow scored =
        ReportRow.builder("bert", "ig")
            .comp(0.5)
            .toxicSpans(new PlausibilityResult(0.456, 0.321, 7, 1))
            .build();
    ReportRow unscored = ReportRow.builder("bert", "saliency").comp(0.4).build();
    String md = ReportWriter.markdown(new Report("t", null, List.of(scored, unscored), List.of()));
    assertTrue(md.contains("## Toxic Spans plausibility"), md);
    assertTrue(
        md.contains(
            "| Model | Explainer | Toxic Spans texts | Toxic Spans AUPRC ↑ "
                + "| Toxic Spans top-k F1 ↑ |"),
        md);
    assertTrue(md.contains("| bert | ig | 7 | 0.456 | 0.321 |"), md);
    assertFalse(md.contains("| bert | saliency | 0"), md);
    assertTrue(
        md.indexOf("## Toxic Spans") > md.indexOf("## Results")
            && md.indexOf("## Toxic Spans") < md.indexOf("## Targets"),
        md);
  }

  @Test
  void writeAddsTheSweepPlotsOnlyWithTwoDifferentB() throws Exception {
    List<ReportRow> two =
        List.of(
            ReportRow.builder("b15", "bcos")
                .modelKind(true, 1.5)
                .accuracy(0.8)
                .comp(0.5)
                .entropy(0.9)
                .build(),
            ReportRow.builder("b25", "bcos")
                .modelKind(true, 2.5)
                .accuracy(0.7)
                .comp(0.6)
                .entropy(0.5)
                .build());
    List<Path> written =
        ReportWriter.write(new Report("t", null, two, List.of()), dir.resolve("sweep"), "r");
    assertEquals(
        List.of(
            dir.resolve("sweep/r.md"),
            dir.resolve("sweep/r.json"),
            dir.resolve("sweep/" + BSweep.ACCURACY_PLOT),
            dir.resolve("sweep/" + BSweep.COMP_PLOT),
            dir.resolve("sweep/" + BSweep.ENTROPY_PLOT)),
        written);
    written.forEach(p -> assertTrue(Files.exists(p), p.toString()));
    List<ReportRow> one =
        List.of(
            ReportRow.builder("b15", "bcos").modelKind(true, 1.5).build(),
            ReportRow.builder("b15bis", "bcos").modelKind(true, 1.5).build(),
            ReportRow.builder("conv", "ig").modelKind(false, 1.5).build());
    assertEquals(
        2,
        ReportWriter.write(new Report("t", null, one, List.of()), dir.resolve("none"), "r").size());
    assertFalse(Files.exists(dir.resolve("none/" + BSweep.ACCURACY_PLOT)));
  }

  @Test
  void emptyProvenanceRendersDashes() {
    String md =
        ReportWriter.markdown(
            new Report(
                "t",
                new EvaluationProvenance(null, null, null, null, null, null, null),
                List.of(),
                null));
    assertTrue(
        md.contains(
            "- Datasets: –\n- Split: –\n- Examples: –\n- Models: –\n- Protocol: –\n"
                + "- Seed: –\n- Command: –"),
        md);
  }
}
