package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.cli.CliTest.Run;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.nn.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code candor soup} end to end: two {@code candor train} runs of the bundled MiniLM at two seeds
 * (a few steps on a toy set), averaged uniformly and greedily, and the refusals a user meets.
 */
class SoupCommandTest {
  @TempDir static Path tmp;
  static Path data;
  static Path seed1;
  static Path seed2;

  @BeforeAll
  static void trainTwoSeeds() throws IOException {
    data = tmp.resolve("data");
    ToyData.write(data.resolve("toy"), 48);
    seed1 = train(1);
    seed2 = train(2);
  }

  private static Path train(int seed) {
    Path out = tmp.resolve("seed" + seed);
    Run r =
        CliTest.run(
            "train",
            "--data",
            data.toString(),
            "--dataset",
            "toy",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--max-length",
            "16",
            "--seed",
            String.valueOf(seed),
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    return out;
  }

  private static String valFile() {
    return data.resolve("toy/val.jsonl").toString();
  }

  private static Run soup(String... extra) {
    String[] base = {
      "soup", "--models", seed1 + "," + seed2, "--file", valFile(),
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliTest.run(all);
  }

  @Test
  void shouldWriteTheMeanOfTwoSeedsAsABundleWithItsValidationFigures() throws IOException {
    Path out = tmp.resolve("uniform");
    Run r =
        CliTest.run(
            "soup",
            "--models",
            seed1 + "," + seed2,
            "--file",
            data.resolve("toy/val.jsonl").toString(),
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("uniform soup of 2 bundles"), r.err());
    assertTrue(r.out().contains("in soup  seed1@"), r.out());
    assertTrue(r.out().contains("in soup  seed2@"), r.out());
    assertTrue(r.out().contains("soup     uniform@"), r.out());
    ModelBundle a = ModelBundle.read(seed1);
    ModelBundle b = ModelBundle.read(seed2);
    ModelBundle s = ModelBundle.read(out);
    for (Map.Entry<String, TensorData> e : s.weights().entrySet()) {
      float[] x = a.weights().get(e.getKey()).values();
      float[] y = b.weights().get(e.getKey()).values();
      float[] m = e.getValue().values();
      for (int i = 0; i < m.length; i += 97) {
        assertEquals((x[i] + (double) y[i]) / 2, m[i], 1e-6, e.getKey());
      }
    }
    assertNotEquals(
        a.weights().get("classifier.weight").values()[0],
        b.weights().get("classifier.weight").values()[0],
        "the two seeds trained apart");
    assertEquals(
        List.of(a.version(), b.version()),
        s.provenance().hyperParameters().get("soup_ingredients"));
    assertEquals(a.provenance().baseModelSha256(), s.provenance().baseModelSha256());
    assertTrue(s.metrics().get("validation") instanceof Map<?, ?>, s.metrics().toString());

    Run again = soup("--out", out.toString());
    assertNotEquals(0, again.code(), again.out());
    assertTrue(again.err().contains("exists; pass --force"), again.err());
    Run greedy = soup("--greedy", "--force", "--out", out.toString());
    assertEquals(0, greedy.code(), greedy.err());
    assertTrue(greedy.err().contains("greedy soup of 2 bundles"), greedy.err());
    assertTrue(greedy.err().contains("  adding seed"), greedy.err());
    assertEquals("greedy", ModelBundle.read(out).metrics().get("recipe"));
  }

  @Test
  void shouldRefuseASingleBundleOrABundleFromOtherWeights() throws IOException {
    Run one =
        CliTest.run(
            "soup",
            "--models",
            seed1.toString(),
            "--file",
            valFile(),
            "--out",
            tmp.resolve("one").toString());
    assertNotEquals(0, one.code());
    assertTrue(one.err().contains("at least two bundles"), one.err());

    Path random = TinyBundle.write(tmp.resolve("random"), 3);
    Run other =
        CliTest.run(
            "soup",
            "--models",
            seed1 + "," + random,
            "--file",
            valFile(),
            "--out",
            tmp.resolve("other").toString());
    assertNotEquals(0, other.code());
    assertTrue(other.err().contains("another architecture"), other.err());

    Run self =
        CliTest.run(
            "soup",
            "--models",
            seed1 + "," + seed2,
            "--file",
            valFile(),
            "--out",
            seed2.toString(),
            "--force");
    assertNotEquals(0, self.code());
    assertTrue(self.err().contains("is one of the --models"), self.err());
  }
}
