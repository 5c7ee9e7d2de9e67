package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir Path tmp;

  /** Thrown by the fault hook: the process "dies" at that step. */
  static final class Crash extends IOException {
    Crash(String step) {
      super("crash at " + step);
    }
  }

  private ModelRegistry bootstrapped(ModelRegistry.FaultHook hook) throws IOException {
    Path seed = tmp.resolve("seed");
    if (!Files.exists(seed)) {
      TestModels.writeBundle(seed, true, 1.5, 1);
    }
    ModelRegistry plain = ModelRegistry.open(tmp.resolve("registry"));
    if (plain.state().isEmpty()) {
      plain.bootstrap(seed);
    }
    return ModelRegistry.open(tmp.resolve("registry"), hook);
  }

  /** A round's steps: bundle, record, promotion (as {@link Trainer#runRound} does them). */
  private static void round(ModelRegistry r, String version, VersionRecord.Decision decision)
      throws IOException {
    ModelBundle b = ModelBundle.read(r.bundleDir(r.current().orElseThrow()));
    ModelBundle written =
        ModelBundle.write(
            r.bundleDir(version),
            b.config(),
            TestModels.randomWeights(b.config(), version.hashCode()),
            b.tokenizerJson(),
            Map.of(),
            b.provenance());
    r.bundleWritten(version);
    r.saveRecord(
        new VersionRecord(
            version,
            written.version(),
            written.manifestSha256(),
            r.current().orElseThrow(),
            "now",
            decision,
            decision == VersionRecord.Decision.REFUSE ? List.of("accuracy: worse") : List.of(),
            Map.of("accuracy", 0.5),
            Map.of("accuracy", 0.6),
            Map.of("accuracy", 0.0),
            Map.of(0, 10L),
            Map.of(),
            Map.of(),
            1.0));
    if (decision == VersionRecord.Decision.PROMOTE) {
      r.makeCurrent(version);
    }
  }

  @Test
  void shouldPromoteRefuseAndRollBack() throws IOException {
    ModelRegistry r = bootstrapped(step -> {});
    assertEquals("v0001", r.current().orElseThrow());
    round(r, "v0002", VersionRecord.Decision.PROMOTE);
    round(r, "v0003", VersionRecord.Decision.REFUSE);
    assertEquals("v0002", r.current().orElseThrow());
    assertEquals(List.of("v0001", "v0002"), r.state().orElseThrow().history());
    assertFalse(r.state().orElseThrow().published());
    assertEquals(Map.of(0, 10L), r.lastOffsets());
    assertEquals("v0001", r.rollback());
    assertEquals(List.of(), r.recover()); // a rolled-back version is not promoted again
    assertEquals("v0001", r.current().orElseThrow());
    assertThrows(IllegalStateException.class, r::rollback);
    r.makeCurrent("v0002"); // an explicit promote may bring it back
    assertEquals(List.of(), r.state().orElseThrow().withdrawn());
  }

  @Test
  void shouldDropAnInterruptedRoundsBundle() throws IOException {
    ModelRegistry crashing =
        bootstrapped(
            step -> {
              if (step.equals("bundle-written")) {
                throw new Crash(step);
              }
            });
    assertThrows(Crash.class, () -> round(crashing, "v0002", VersionRecord.Decision.PROMOTE));
    assertTrue(Files.isDirectory(crashing.bundleDir("v0002")));
    ModelRegistry restarted = bootstrapped(step -> {});
    assertEquals(
        List.of("deleted v0002: bundle without record (round interrupted)"), restarted.recover());
    assertFalse(Files.exists(restarted.bundleDir("v0002")));
    assertEquals("v0001", restarted.current().orElseThrow());
    assertEquals(Map.of(), restarted.lastOffsets()); // the next round re-reads that feedback
  }

  @Test
  void shouldCompleteAPromotionWhoseRecordWasWritten() throws IOException {
    ModelRegistry crashing =
        bootstrapped(
            step -> {
              if (step.equals("record-written")) {
                throw new Crash(step);
              }
            });
    assertThrows(Crash.class, () -> round(crashing, "v0002", VersionRecord.Decision.PROMOTE));
    ModelRegistry restarted = bootstrapped(step -> {});
    assertEquals("v0001", restarted.current().orElseThrow());
    assertEquals(List.of("completed the promotion of v0002"), restarted.recover());
    assertEquals("v0002", restarted.current().orElseThrow());
    assertFalse(restarted.state().orElseThrow().published());
  }

  @Test
  void shouldNeverMakeARefusedVersionCurrent() throws IOException {
    ModelRegistry crashing =
        bootstrapped(
            step -> {
              if (step.equals("record-written")) {
                throw new Crash(step);
              }
            });
    assertThrows(Crash.class, () -> round(crashing, "v0002", VersionRecord.Decision.REFUSE));
    ModelRegistry restarted = bootstrapped(step -> {});
    assertEquals(List.of(), restarted.recover());
    assertEquals("v0001", restarted.current().orElseThrow());
  }

  @Test
  void shouldRememberDeadLetteredOffsetsAcrossAnInterruptedRound() throws IOException {
    ModelRegistry r = bootstrapped(step -> {});
    assertEquals(Map.of(), r.deadLetteredOffsets());
    r.noteDeadLettered(Map.of(0, 5L, 1, 2L)); // a round wrote its dead letters, then died
    ModelRegistry restarted = bootstrapped(step -> {});
    assertEquals(Map.of(0, 5L, 1, 2L), restarted.deadLetteredOffsets());
    restarted.noteDeadLettered(Map.of(0, 3L)); // never goes back
    assertEquals(Map.of(0, 5L, 1, 2L), restarted.deadLetteredOffsets());
    round(restarted, "v0002", VersionRecord.Decision.PROMOTE); // its record holds {0: 10}
    assertEquals(Map.of(0, 10L, 1, 2L), restarted.deadLetteredOffsets());
  }
}
