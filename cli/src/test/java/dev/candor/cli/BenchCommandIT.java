package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Both benchmarks run end to end (tiny settings) and write their own sections of one file. */
@Tag("integration")
class BenchCommandIT {
  @TempDir Path tmp;

  @Test
  @Timeout(300)
  void shouldWriteModelAndStreamSectionsWithRatiosFromOneRun() throws Exception {
    Path bundle = TinyBundle.write(tmp.resolve("tiny"), 3);
    Path doc = tmp.resolve("benchmarks.md");
    CliTest.Run model =
        CliTest.run(
            "bench",
            "model",
            "--model",
            bundle.toString(),
            "--device",
            "cpu",
            "--builtin-texts",
            "--batch-sizes",
            "1,4",
            "--repeats",
            "2",
            "--texts-per-repeat",
            "8",
            "--train-steps",
            "1",
            "--process-runs",
            "1",
            "--process-steps",
            "1",
            "--out",
            doc.toString());
    assertEquals(0, model.code(), model.err());
    CliTest.Run stream =
        CliTest.run(
            "bench",
            "stream",
            "--model",
            bundle.toString(),
            "--device",
            "cpu",
            "--builtin-texts",
            "--texts",
            "40",
            "--repeats",
            "1",
            "--paced-texts",
            "10",
            "--out",
            doc.toString());
    assertEquals(0, stream.code(), stream.err());
    String md = Files.readString(doc);
    assertTrue(md.matches("(?s).*\\| 4 \\| [0-9.]+ \\(IQR .*\\| \\*\\*[0-9.]+×\\*\\* .*"), md);
    assertTrue(md.contains("Training (B-cos, batch 16"), md);
    assertTrue(md.matches("(?s).*stream / model-only[^|]*\\| \\*\\*\\d+ %\\*\\*.*"), md);
    // the machine, the process settings in effect and the load are named
    assertTrue(md.contains(MachineInfo.cpuModel()), md);
    assertTrue(md.contains("OMP_WAIT_POLICY="), md);
    assertTrue(md.contains("Load average (1/5/15 min)"), md);
    // allocator defaults vs tuned, each from a child JVM's /proc/self/stat
    assertTrue(md.matches("(?s).*\\| glibc malloc defaults \\| \\*\\*[0-9.]+\\*\\* .*% .*"), md);
    assertTrue(md.contains("| malloc tuned (bin/candor-env.sh) | **"), md);
    assertTrue(md.matches("(?s).*ratio per run pair: \\*\\*[0-9.]+×\\*\\*.*"), md);
    // sub-batching on vs off, model only and through the stream, in the same run
    assertTrue(md.matches("(?s).*Sub-batching \\(explain.*on/off \\*\\*[0-9.]+×\\*\\*.*"), md);
    assertTrue(md.contains("| measure | sub-batching on | sub-batching off |"), md);
    assertTrue(md.matches("(?s).*Sub-batching on / off: sustained [0-9.]+×.*"), md);
    assertTrue(md.contains("p50 / p95 / p99"), md);
    assertTrue(md.indexOf("<!-- bench:model -->") < md.indexOf("<!-- bench:stream -->"), md);
    // rerunning one benchmark replaces its own section only
    CliTest.Run again =
        CliTest.run(
            "bench",
            "model",
            "--model",
            bundle.toString(),
            "--device",
            "cpu",
            "--builtin-texts",
            "--batch-sizes",
            "2",
            "--repeats",
            "1",
            "--texts-per-repeat",
            "4",
            "--train-steps",
            "0",
            "--process-runs",
            "0",
            "--out",
            doc.toString());
    assertEquals(0, again.code(), again.err());
    String after = Files.readString(doc);
    assertEquals(1, after.split("<!-- bench:model -->", -1).length - 1, after);
    assertTrue(after.contains("<!-- bench:stream -->"), after);
  }
}
