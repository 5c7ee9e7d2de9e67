package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `candor trainer simulate`: a round on simulated reviews of a three-class model, and `--candidate`
 * (a recorded bundle reported against production).
 */
class TrainerSimulateTest {
  @TempDir Path tmp;

  private Path hateXplainLike() throws IOException {
    Path hx = tmp.resolve("data/hatexplain");
    Files.createDirectories(hx);
    String[] texts = {
      "<user> muslims are lovely neighbours",
      "jews and christians met today",
      "<user> <number> people came",
      "the weather is fine",
      "black women should vote",
      "<user> i love this song"
    };
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String target = i % 3 == 0 ? "\"Women\"" : i % 3 == 1 ? "\"Islam\"" : "\"Hindu\"";
      lines.add(
          String.format(
              "{\"id\":\"v%d\",\"text\":\"%s %d\",\"label\":%d,\"label3\":\"%s\","
                  + "\"targets\":[%s]}",
              i,
              texts[i % texts.length],
              i,
              i % 3 == 0 ? 0 : 1,
              List.of("normal", "offensive", "hatespeech").get(i % 3),
              target));
    }
    Files.write(hx.resolve("val.jsonl"), lines);
    Files.write(hx.resolve("train.jsonl"), lines.subList(0, 12));
    return hx.getParent();
  }

  private CliTest.Run simulate(Path production, Path data, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "trainer",
                "simulate",
                "--out",
                tmp.resolve("out").toString(),
                "--bundle",
                production.toString(),
                "--data",
                data.toString()));
    args.addAll(List.of(more));
    return CliTest.run(args.toArray(String[]::new));
  }

  @Test
  void shouldReviewAndTrainAThreeClassModelOnLabel3() throws IOException {
    Path production =
        TestModels.writeBundle(
                tmp.resolve("production"),
                true,
                1.5,
                5,
                List.of("normal", "offensive", "hatespeech"))
            .dir();
    CliTest.Run r =
        simulate(
            production,
            hateXplainLike(),
            "--reviewed",
            "12",
            "--replay",
            "6",
            "--validation",
            "8",
            "--heatmaps",
            "0",
            "--bootstrap",
            "10");
    assertEquals(0, r.code(), r.out() + r.err());
    // reviewers label each text with its three-class label, not the binary index read as a class
    assertTrue(
        r.out().contains("labels {normal=4, offensive=4, hatespeech=4}) from HateXplain train"),
        r.out());
    assertTrue(r.out().contains("record v0002"), r.out());
    assertTrue(r.out().contains("macro_f1          0."), r.out());
  }

  @Test
  void shouldReportACandidateAgainstProductionWithoutARound() throws IOException {
    Path production = TinyBundle.write(tmp.resolve("production"), 4);
    Path data = hateXplainLike();
    CliTest.Run r =
        simulate(
            production,
            data,
            "--validation",
            "4",
            "--heatmaps",
            "1",
            "--candidate",
            production.toString());
    assertEquals(0, r.code(), r.err());
    // the same bundle on both sides: every share and figure unchanged
    assertTrue(r.out().contains("placeholders  before"), r.out());
    assertTrue(r.out().contains("(+0 %)") || r.out().contains("(-0 %)"), r.out());
    assertTrue(r.out().contains("accuracy"), r.out());
    assertTrue(r.out().contains("(+0.00 points; [+0.00, +0.00])"), r.out());
    assertTrue(r.out().contains("heat-maps"), r.out());
    assertTrue(r.err().contains("on 20 validation texts"), r.err());
    // no round: no broker data, no registry
    assertTrue(Files.notExists(tmp.resolve("out/registry")));
  }

  @Test
  void shouldRefuseACandidateThatIsNotABundle() throws IOException {
    Path production = TinyBundle.write(tmp.resolve("production"), 4);
    CliTest.Run r =
        simulate(production, hateXplainLike(), "--candidate", tmp.resolve("nowhere").toString());
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("is not a model bundle"), r.err());
  }
}
