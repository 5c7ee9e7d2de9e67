package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `candor trainer simulate --candidate`: a recorded bundle reported against production. */
class TrainerSimulateCandidateTest {
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
              "{\"id\":\"v%d\",\"text\":\"%s %d\",\"label\":%d,\"targets\":[%s]}",
              i, texts[i % texts.length], i, i % 2, target));
    }
    Files.write(hx.resolve("val.jsonl"), lines);
    Files.write(hx.resolve("train.jsonl"), lines.subList(0, 6));
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
