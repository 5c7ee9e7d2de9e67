package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.model.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code candor train --data A,B=W --identity-augment} and {@code candor evaluate --functional}.
 */
class TrainMixAndFunctionalTest {
  @TempDir static Path tmp;
  static Path bundle;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void writeTinyBundle() throws IOException {
    bundle = TinyBundle.write(tmp.resolve("tiny"), 4);
  }

  private static CliTest.Run run(String... args) {
    return CliTest.run(args);
  }

  @Test
  void shouldScoreTheFunctionalChecksPerFunctionalityForEachBundle() throws IOException {
    Path suite = tmp.resolve("suite.tsv");
    Files.writeString(
        suite,
        String.join(
            "\n",
            "group\tw\twomen\ta woman\tfemale",
            "group\tm\tMuslims\ta Muslim\tMuslim",
            "case\tthreat\ttoxic\t{PL} should be shot.",
            "case\tneutral_mention\tnormal\tI am {A_SG}.",
            "case\tprofanity\tnormal\tHoly shit, what a day."));
    Path second = TinyBundle.write(tmp.resolve("tiny2"), 9);
    CliTest.Run r =
        run("evaluate", "--functional", suite.toString(), "--models", bundle + "," + second);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("5 cases"), r.out());
    for (String line : List.of("threat", "neutral_mention", "profanity", "overall (cases)")) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(line)), line + " in " + r.out());
    }
    assertTrue(r.out().contains("[2] tiny2"), r.out());

    CliTest.Run json =
        run("evaluate", "--model", bundle.toString(), "--functional", suite.toString(), "--json");
    assertEquals(0, json.code(), json.err());
    JsonNode o = JSON.readTree(json.out()).get(0);
    assertEquals(5, o.get("cases").asInt());
    assertEquals(2, o.get("by_functionality").get("threat").get("n").asInt());
    double threat = o.get("by_functionality").get("threat").get("accuracy").asDouble();
    double neutral = o.get("by_functionality").get("neutral_mention").get("accuracy").asDouble();
    double profanity = o.get("by_functionality").get("profanity").get("accuracy").asDouble();
    assertEquals((2 * threat + 2 * neutral + profanity) / 5, o.get("accuracy").asDouble(), 1e-9);
    JsonNode byExpected = o.get("by_expected_label");
    assertEquals(2, byExpected.get("toxic").get("n").asInt());
    assertEquals(threat, byExpected.get("toxic").get("accuracy").asDouble(), 1e-9);
    assertEquals(
        (threat + byExpected.get("normal").get("accuracy").asDouble()) / 2,
        o.get("balanced_accuracy").asDouble(),
        1e-9);
    assertTrue(r.out().contains("balanced (mean of both)"), r.out());

    CliTest.Run shipped = run("evaluate", "--model", bundle.toString(), "--functional", "--json");
    assertEquals(0, shipped.code(), shipped.err());
    JsonNode s = JSON.readTree(shipped.out()).get(0);
    assertEquals(15, s.get("by_functionality").size(), s.toString());
    assertTrue(s.get("suite").asText().contains("functional-checks.tsv"));
  }

  private static void writeSource(Path dir, String toxicWord, int rows) throws IOException {
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      boolean toxic = i % 2 == 1;
      String text = toxic ? "the women are " + toxicWord : "the muslims had a lovely day";
      lines.add(
          String.format(
              "{\"id\":\"%s-%d\",\"text\":\"%s\",\"label\":%d,\"label_name\":\"%s\"}",
              dir.getFileName(), i, text, toxic ? 1 : 0, toxic ? "toxic" : "normal"));
    }
    Files.write(dir.resolve("train.jsonl"), lines);
    Files.write(dir.resolve("val.jsonl"), lines.subList(0, rows / 2));
  }

  private static void writeNamed(Path dir, String split, String name0, String name1, int rows)
      throws IOException {
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = i % 4 == 0 ? 0 : 1;
      lines.add(
          String.format(
              "{\"id\":\"%s-%d\",\"text\":\"a sentence %d\",\"label\":%d,"
                  + "\"label_name\":\"%s\"}",
              dir.getFileName(), i, i, label, label == 0 ? name0 : name1));
    }
    Files.write(dir.resolve(split), lines);
  }

  @Test
  void shouldTrainTheDefaultMixFromADatasetsDirectoryWhenNoDatasetIsNamed() throws IOException {
    Path datasets = tmp.resolve("datasets");
    writeSource(datasets.resolve("hatexplain"), "awful", 24);
    Path sst2 = datasets.resolve("sst2");
    writeNamed(sst2, "train.jsonl", "negative", "positive", 20);
    writeNamed(sst2, "val.jsonl", "negative", "positive", 6);
    Path out = tmp.resolve("default-mix");
    Path home = tmp.resolve("home");
    String before = System.getProperty("candor.home");
    System.setProperty("candor.home", home.toString());
    CliTest.Run r;
    try {
      r =
          run(
              "train",
              "--data",
              datasets.toString(),
              "--epochs",
              "1",
              "--limit-train",
              "64",
              "--out",
              out.toString());
    } finally {
      if (before == null) {
        System.clearProperty("candor.home");
      } else {
        System.setProperty("candor.home", before);
      }
    }
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("classes [normal, toxic]"), r.err());
    JsonNode provenance = JSON.readTree(out.resolve("provenance.json").toFile());
    JsonNode mix = provenance.get("hyperParameters").get("data_mix");
    assertEquals(2, mix.size(), mix.toString());
    String command = provenance.get("command").asText();
    assertTrue(command.contains(" --strip-punctuation functional]"), command);
    assertFalse(command.contains("--keep-labels"), command);
    assertEquals("hatexplain", mix.get(0).get("name").asText());
    assertEquals(24, mix.get(0).get("train_rows_used").asInt());
    // the functional source, drawn under the candor home with candor functional-data's defaults
    assertEquals("functional", mix.get(1).get("name").asText());
    Path drawn = home.resolve("data");
    List<Path> folders;
    try (var list = Files.list(drawn)) {
      folders = list.toList();
    }
    assertEquals(1, folders.size(), folders.toString());
    assertTrue(folders.get(0).getFileName().toString().endsWith("-40-4-42"), folders.toString());
    long rows = Files.readAllLines(folders.get(0).resolve("functional/train.jsonl")).size();
    assertEquals(rows, mix.get(1).get("train_rows_used").asLong(), mix.toString());
    assertTrue(rows > 2000, "" + rows);
    JsonNode bySource =
        JSON.readTree(out.resolve("metrics.json").toFile()).get("validation_by_source");
    assertTrue(bySource.get("functional").get("n").asInt() > 200, bySource.toString());

    // the same directory with --dataset trains on that dataset alone
    CliTest.Run alone =
        run(
            "train",
            "--data",
            datasets.toString(),
            "--dataset",
            "hatexplain",
            "--epochs",
            "1",
            "--out",
            tmp.resolve("alone").toString());
    assertEquals(0, alone.code(), alone.err());
    // one source: a training and a validation file, no mix
    assertEquals(
        2, JSON.readTree(tmp.resolve("alone/provenance.json").toFile()).get("data").size());

    // a datasets directory without HateXplain says what to do
    Path partial = tmp.resolve("partial");
    writeSource(partial.resolve("davidson"), "awful", 8);
    CliTest.Run missing =
        run("train", "--data", partial.toString(), "--out", tmp.resolve("never").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("hatexplain is missing"), missing.err());
    assertTrue(missing.err().contains("--data DIR"), missing.err());

    // --as-class: SST-2's sentences as normal beside HateXplain; its own names would clash
    String two = datasets.resolve("hatexplain") + "," + sst2;
    CliTest.Run clash = run("train", "--data", two, "--out", tmp.resolve("never").toString());
    assertEquals(2, clash.code());
    assertTrue(clash.err().contains("'negative'"), clash.err());
    CliTest.Run wrongClass =
        run(
            "train",
            "--data",
            two,
            "--as-class",
            "sst2=benign",
            "--out",
            tmp.resolve("never").toString());
    assertEquals(2, wrongClass.code());
    assertTrue(wrongClass.err().contains("[normal, toxic]"), wrongClass.err());
    CliTest.Run first =
        run(
            "train",
            "--data",
            two,
            "--as-class",
            "hatexplain=normal",
            "--out",
            tmp.resolve("never").toString());
    assertEquals(2, first.code());
    assertTrue(first.err().contains("first source"), first.err());
  }

  @Test
  void shouldDistilATeacherBundleAndRefuseBadTeacherOptions() throws IOException {
    Path data = tmp.resolve("data/distil");
    writeSource(data, "awful", 24);
    Path out = tmp.resolve("distilled");
    CliTest.Run r =
        trainOneEpoch(data, out, "--teacher", bundle.toString(), "--teacher-weight", "0.5");
    assertTrue(r.err().contains("distilling from " + bundle), r.err());
    assertTrue(r.err().contains("teacher [##############################] 100% 24/24"), r.err());
    JsonNode hyper = hyperParameters(out);
    assertEquals(ModelBundle.read(bundle).version(), hyper.get("teacher").asText());
    assertEquals(0.5, hyper.get("teacher_weight").asDouble());
    assertTrue(hyper.get("bcos").asBoolean(), "the student is the B-cos model");

    assertRefused("is not a model bundle", data, "--teacher", data.toString());
    assertRefused("(0, 1]", data, "--teacher", bundle.toString(), "--teacher-weight", "0");
    assertRefused("--teacher-weight needs --teacher", data, "--teacher-weight", "0.5");
  }

  @Test
  void shouldRealignTheEncoderFirstAndRefuseBadRealignOptions() throws IOException {
    Path data = tmp.resolve("data/realign");
    writeSource(data, "awful", 24);
    Path out = tmp.resolve("realigned");
    // one pass by default for B-cos
    CliTest.Run r = trainOneEpoch(data, out, "--realign-lr", "1e-3");
    assertTrue(r.err().contains("re-aligning the encoder to conventional minilm"), r.err());
    assertTrue(r.err().contains("re-align [##############################] 100% 2/2"), r.err());
    JsonNode hyper = hyperParameters(out);
    assertEquals(1, hyper.get("realign_epochs").asInt());
    assertEquals(1e-3, hyper.get("realign_peak_learning_rate").asDouble());
    assertEquals(2, hyper.get("realign_steps").asInt());
    assertTrue(hyper.get("realign_final_loss").asDouble() > 0, hyper.toString());
    assertTrue(hyper.get("bcos").asBoolean());

    assertRefused(
        "--realign-lr needs re-alignment", data, "--realign-epochs", "0", "--realign-lr", "1e-3");
    assertRefused("--realign-lr needs re-alignment", data, "--conventional", "--realign-lr", "1");
    assertRefused("for B-cos models", data, "--conventional", "--realign-epochs", "1");
    assertRefused("0 (none) or more", data, "--realign-epochs", "-1");
    assertRefused("(0, 1)", data, "--realign-epochs", "1", "--realign-lr", "2");
  }

  /** {@code train --data data --epochs 1 --out out} with {@code options}; must succeed. */
  private static CliTest.Run trainOneEpoch(Path data, Path out, String... options) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString()));
    args.addAll(List.of(options));
    args.addAll(List.of("--epochs", "1", "--out", out.toString()));
    CliTest.Run r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return r;
  }

  private static JsonNode hyperParameters(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("provenance.json").toFile()).get("hyperParameters");
  }

  /** {@code train --data data options} exits 2 naming {@code message} and writes nothing. */
  private void assertRefused(String message, Path data, String... options) {
    Path never = tmp.resolve("never");
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString()));
    args.addAll(List.of(options));
    args.addAll(List.of("--out", never.toString()));
    CliTest.Run r = run(args.toArray(String[]::new));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(Files.exists(never), "nothing is written after a refused option");
  }

  @Test
  void shouldTrainOnSeveralWeightedSourcesWithAugmentationAndReportEachSource() throws IOException {
    Path a = tmp.resolve("data/first");
    Path b = tmp.resolve("data/second");
    writeSource(a, "awful", 24);
    writeSource(b, "horrible", 16);
    Path out = tmp.resolve("mixed");
    CliTest.Run r =
        run(
            "train",
            "--data",
            a + "," + b + "=0.5",
            "--identity-augment",
            "0.5",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("first=1.0,second=0.5"), r.err());
    assertTrue(r.out().contains("validation on first"), r.out());
    assertTrue(r.out().contains("validation on second"), r.out());
    JsonNode prov = JSON.readTree(out.resolve("provenance.json").toFile());
    List<String> roles = new ArrayList<>();
    prov.get("data").forEach(d -> roles.add(d.get("role").asText()));
    assertEquals(
        List.of("train", "validation", "train:second", "validation:second", "identity-lexicon"),
        roles);
    for (JsonNode d : prov.get("data")) {
      assertEquals(64, d.get("sha256").asText().length(), d.toString());
    }
    JsonNode hyper = prov.get("hyperParameters");
    assertEquals(8, hyper.get("data_mix").get(1).get("train_rows_used").asInt());
    // 24 + 8 rows, all naming an identity: half of them get a copy
    assertEquals(32, hyper.get("identity_augmentation").get("candidate_rows").asInt());
    assertEquals(16, hyper.get("identity_augmentation").get("added_rows").asInt());
    JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
    assertEquals(8, metrics.get("validation_by_source").get("second").get("n").asInt());
    assertEquals(12, metrics.get("validation_by_source").get("first").get("n").asInt());

    Path three = tmp.resolve("three");
    for (Path dir : List.of(a, b)) {
      List<String> rows = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("train.jsonl"))) {
        JsonNode n = JSON.readTree(line);
        String label3 =
            n.get("label").asInt() == 0
                ? "normal"
                : n.get("id").asText().endsWith("1") ? "hatespeech" : "offensive";
        rows.add(line.replace("}", ",\"label3\":\"" + label3 + "\"}"));
      }
      Files.write(dir.resolve("train.jsonl"), rows);
      Files.write(dir.resolve("val.jsonl"), rows);
    }
    CliTest.Run labels3 =
        run(
            "train",
            "--data",
            a + "," + b,
            "--labels",
            "label3",
            "--epochs",
            "1",
            "--out",
            three.toString());
    assertEquals(0, labels3.code(), labels3.err());
    JsonNode config = JSON.readTree(three.resolve("config.json").toFile());
    assertEquals("hatespeech", config.get("id2label").get("2").asText(), config.toString());
    JsonNode m3 = JSON.readTree(three.resolve("metrics.json").toFile());
    assertEquals(16, m3.get("validation_by_source").get("second").get("n").asInt());

    // Toxic Spans-like: class 0 is "no_span" (toxic comments without a marked span)
    Path spans = tmp.resolve("data/spans");
    Files.createDirectories(spans);
    List<String> spanRows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      spanRows.add(
          String.format(
              "{\"id\":\"s%d\",\"text\":\"you are an idiot %d\",\"label\":%d,"
                  + "\"label_name\":\"%s\"}",
              i, i, i % 4 == 0 ? 0 : 1, i % 4 == 0 ? "no_span" : "toxic"));
    }
    Files.write(spans.resolve("train.jsonl"), spanRows);
    // its development split is trial.jsonl, as Toxic Spans ships it
    Files.write(spans.resolve("trial.jsonl"), spanRows.subList(0, 8));
    Path mix = tmp.resolve("kept");
    CliTest.Run clash = run("train", "--data", a + "," + spans, "--out", mix.toString());
    assertEquals(2, clash.code());
    assertTrue(clash.err().contains("'no_span'"), clash.err());
    assertTrue(clash.err().contains("--keep-labels"), clash.err());
    CliTest.Run kept =
        run(
            "train",
            "--data",
            a + "," + spans,
            "--keep-labels",
            "spans=toxic",
            "--epochs",
            "1",
            "--out",
            mix.toString());
    assertEquals(0, kept.code(), kept.err());
    JsonNode keptHyper =
        JSON.readTree(mix.resolve("provenance.json").toFile()).get("hyperParameters");
    assertEquals(9, keptHyper.get("data_mix").get(1).get("train_rows_used").asInt());
    JsonNode keptMetrics = JSON.readTree(mix.resolve("metrics.json").toFile());
    assertEquals(6, keptMetrics.get("validation_by_source").get("spans").get("n").asInt());
    CliTest.Run unknownSource =
        run("train", "--data", a.toString(), "--keep-labels", "spans=toxic", "--out", mix + "2");
    assertEquals(2, unknownSource.code());
    assertTrue(
        unknownSource.err().contains("names no source of --data: [spans]"), unknownSource.err());

    CliTest.Run bad = run("train", "--data", a + ",no-such-source", "--out", out.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("no-such-source"), bad.err());
    CliTest.Run weight = run("train", "--data", a + "=lots", "--out", out.toString());
    assertEquals(2, weight.code());
    assertTrue(weight.err().contains("'lots'"), weight.err());
  }
}
