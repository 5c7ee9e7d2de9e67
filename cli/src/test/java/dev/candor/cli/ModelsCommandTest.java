package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.trainer.ModelRegistry;
import dev.candor.trainer.VersionRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {
  @TempDir Path tmp;

  private static void add(ModelRegistry r, String v, VersionRecord.Decision d, List<String> why)
      throws Exception {
    ModelBundle b = ModelBundle.read(TinyBundle.write(r.bundleDir(v), v.hashCode()));
    r.bundleWritten(v);
    r.saveRecord(
        new VersionRecord(
            v,
            b.version(),
            b.manifestSha256(),
            "v0001",
            "2026-11-30T00:00:00Z",
            d,
            why,
            Map.of("accuracy", 0.61, "marked_share", 0.30),
            Map.of("accuracy", 0.74, "marked_share", 0.31),
            Map.of("accuracy", 0.0, "marked_share", 0.02),
            Map.of(0, 40L),
            Map.of("feedback", "ab"),
            Map.of("feedback_train_rows", 30),
            2.5));
    if (d == VersionRecord.Decision.PROMOTE) {
      r.makeCurrent(v);
    }
  }

  @Test
  void shouldShowWhyACandidateWasRefusedAndRollBack() throws Exception {
    ModelRegistry r = ModelRegistry.open(tmp.resolve("registry"));
    r.bootstrap(TinyBundle.write(tmp.resolve("seed"), 1));
    add(r, "v0002", VersionRecord.Decision.PROMOTE, List.of());
    add(
        r,
        "v0003",
        VersionRecord.Decision.REFUSE,
        List.of("accuracy: candidate 0.6100 vs production 0.7400 (lower by 0.1300, tolerance 0)"));
    String reg = r.root().toString();

    CliTest.Run show = CliTest.run("models", "show", "v0003", "--registry", reg);
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("decision  REFUSE"), show.out());
    assertTrue(show.out().contains("refused: accuracy: candidate 0.6100"), show.out());

    CliTest.Run list = CliTest.run("models", "list", "--registry", reg);
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().contains("* v0002  PROMOTE"), list.out());
    assertTrue(list.out().contains("  v0003  REFUSE"), list.out());

    CliTest.Run back = CliTest.run("models", "rollback", "--no-publish", "--registry", reg);
    assertEquals(0, back.code(), back.err());
    assertEquals("v0001", r.current().orElseThrow());
  }
}
