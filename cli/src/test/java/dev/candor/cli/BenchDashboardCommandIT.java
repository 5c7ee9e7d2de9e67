package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code candor bench dashboard} end to end with tiny settings: fills, times, writes its section.
 */
@Tag("integration")
class BenchDashboardCommandIT {
  @TempDir Path tmp;

  @Test
  @Timeout(300)
  void shouldFillTimeAndWriteTheDashboardSection() throws Exception {
    Path doc = tmp.resolve("benchmarks.md");
    CliTest.Run r =
        CliTest.run(
            "bench",
            "dashboard",
            "--items",
            "1200",
            "--repeats",
            "3",
            "--warmup",
            "1",
            "--db-url",
            "jdbc:h2:file:" + tmp.resolve("db").toAbsolutePath(),
            "--out",
            doc.toString());
    assertEquals(0, r.code(), r.err());
    String md = Files.readString(doc);
    assertTrue(md.contains("<!-- bench:dashboard -->"), md);
    assertTrue(md.contains("1200 generated flagged items"), md);
    // every timed request reports a median; the unfiltered queue counts every stored item
    assertTrue(
        md.matches(
            "(?s).*\\| queue, pages 1-20 \\(50 rows \\+ total count\\) \\(1200 matches\\) \\|"
                + " \\*\\*[0-9.]+\\*\\* .*"),
        md);
    assertTrue(md.contains("page 1000 (offset 49,950) (1200 matches)"), md);
    assertTrue(md.contains("search without match, pages 1-20 (0 matches)"), md);
    assertTrue(md.contains("| item page, a different item each time | **"), md);
  }
}
