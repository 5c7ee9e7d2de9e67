package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/candor rebuilds the CLI when there is no jar, when a source or pom is newer than the jar
 * (after a pull or an edit), and not otherwise. Runs a copy of the launcher in a scratch tree with
 * stand-ins for {@code mvn} (records the call, makes the jar) and {@code java} (does nothing).
 */
class LauncherRebuildTest {
  @TempDir Path tmp;

  @Test
  void shouldRebuildOnlyWhenTheJarIsMissingOrOlderThanASource() throws Exception {
    Path root = tmp.resolve("checkout");
    Path repo = repoRoot();
    Files.createDirectories(root.resolve("bin"));
    Files.copy(repo.resolve("bin/candor"), root.resolve("bin/candor"));
    Files.copy(repo.resolve("bin/candor-env.sh"), root.resolve("bin/candor-env.sh"));
    Path source = root.resolve("model/src/main/java/Some.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class Some {}");
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Path tools = tmp.resolve("tools");
    Path calls = tmp.resolve("mvn-calls");
    executable(
        tools.resolve("mvn"),
        "mkdir -p cli/target && echo jar > cli/target/candor-cli-0.1.0.jar && echo mvn >> "
            + calls);
    executable(tools.resolve("java"), "exit 0");
    Path jar = root.resolve("cli/target/candor-cli-0.1.0.jar");

    launch(root, tools);
    assertEquals(1, calls(calls), "no jar yet: build");

    Instant past = Instant.now().minusSeconds(3600);
    Files.setLastModifiedTime(source, FileTime.from(past));
    Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(past));
    launch(root, tools);
    assertEquals(1, calls(calls), "jar newer than every source: no build");

    Files.setLastModifiedTime(jar, FileTime.from(past.minusSeconds(60)));
    launch(root, tools);
    assertEquals(2, calls(calls), "a source newer than the jar: build");
    assertTrue(
        Files.getLastModifiedTime(jar).toInstant().isAfter(past),
        "the launcher marks the jar as newer than the sources after building");
    launch(root, tools);
    assertEquals(2, calls(calls), "built since: no build");
  }

  private static void launch(Path root, Path tools) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bin/candor").toString(), "--help");
    pb.environment().put("PATH", tools + ":/usr/bin:/bin");
    pb.environment().remove("CANDOR_REBUILD");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  private static int calls(Path calls) throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
  }

  private static void executable(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("bin/candor"))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "no bin/candor above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
