package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.evaluation.functional.FunctionalSuite;
import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code candor functional-data}: a training source from the functional training templates. */
class FunctionalDataCommandTest {
  @TempDir Path tmp;

  @Test
  void shouldWriteSeededDisjointTrainAndValidationFilesInTheUniformFormat() throws IOException {
    Path out = tmp.resolve("functional");
    CliTest.Run run = CliTest.run("functional-data", "--out", out.toString(), "--seed", "3");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("toxic"), run.err());
    JsonlDataset train = JsonlDataset.read(out.resolve("train.jsonl"));
    JsonlDataset val = JsonlDataset.read(out.resolve("val.jsonl"));
    assertEquals(List.of("normal", "toxic"), train.labelNames());
    int templates = FunctionalSuite.bundledTraining().templates().size();
    assertTrue(train.examples().size() > 20 * templates, "" + train.examples().size());
    assertTrue(val.examples().size() <= 4 * templates && val.examples().size() > 2 * templates);
    Set<String> trainTexts = new HashSet<>();
    train.examples().forEach(e -> trainTexts.add(e.text()));
    for (Example e : val.examples()) {
      assertTrue(!trainTexts.contains(e.text()), "in both splits: " + e.text());
    }
    Example first = train.examples().get(0);
    assertTrue(first.raw().has("functionality") && first.raw().has("template"));

    Path again = tmp.resolve("again");
    CliTest.run("functional-data", "--out", again.toString(), "--seed", "3");
    assertEquals(
        Files.readString(out.resolve("train.jsonl")),
        Files.readString(again.resolve("train.jsonl")));
    Path other = tmp.resolve("other");
    CliTest.run("functional-data", "--out", other.toString(), "--seed", "4");
    assertNotEquals(
        Files.readString(out.resolve("train.jsonl")),
        Files.readString(other.resolve("train.jsonl")));
  }

  @Test
  void shouldRefuseTheChecksFileAndAnExistingFolderWithoutForce() throws IOException {
    Path checks = tmp.resolve("checks.tsv");
    try (InputStream in =
        FunctionalSuite.class.getResourceAsStream(FunctionalSuite.BUNDLED_RESOURCE)) {
      Files.write(checks, in.readAllBytes());
    }
    CliTest.Run refused =
        CliTest.run(
            "functional-data",
            "--templates",
            checks.toString(),
            "--out",
            tmp.resolve("x").toString());
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("never trained on"), refused.err());

    Path out = tmp.resolve("f");
    assertEquals(0, CliTest.run("functional-data", "--out", out.toString()).code());
    CliTest.Run exists = CliTest.run("functional-data", "--out", out.toString());
    assertEquals(2, exists.code(), exists.err());
    assertTrue(exists.err().contains("--force"), exists.err());
    assertEquals(0, CliTest.run("functional-data", "--out", out.toString(), "--force").code());
  }
}
