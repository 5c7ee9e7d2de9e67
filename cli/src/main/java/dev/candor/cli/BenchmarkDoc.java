package dev.candor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Replaces one marked section of docs/benchmarks.md, leaving the other benchmarks' sections. */
final class BenchmarkDoc {
  private BenchmarkDoc() {}

  static void writeSection(Path file, String key, String markdown) throws IOException {
    String begin = "<!-- bench:" + key + " -->";
    String end = "<!-- /bench:" + key + " -->";
    String doc =
        Files.exists(file)
            ? Files.readString(file, StandardCharsets.UTF_8)
            : "# Candor benchmarks\n\n"
                + "Each section is written by the command named in it; rerun that command to"
                + " refresh it.\n\n";
    String section = begin + "\n" + markdown.strip() + "\n" + end;
    int b = doc.indexOf(begin);
    int e = doc.indexOf(end);
    if (b >= 0 && e > b) {
      doc = doc.substring(0, b) + section + doc.substring(e + end.length());
    } else {
      doc = doc.stripTrailing() + "\n\n" + section + "\n";
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(file, doc, StandardCharsets.UTF_8);
  }
}
