package dev.candor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny two-class dataset in the uniform JSONL format, for tests that train. */
final class ToyData {

  private ToyData() {}

  /**
   * Writes {@code rows} alternating "lovely day" (normal) / "awful people" (toxic) rows as both
   * {@code train.jsonl} and {@code val.jsonl} into {@code dir}.
   */
  static void write(Path dir, int rows) throws IOException {
    Files.createDirectories(dir);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      out.append("{\"id\":\"")
          .append(i)
          .append("\",\"text\":\"")
          .append(i % 2 == 0 ? "lovely day" : "awful people")
          .append("\",\"label\":")
          .append(i % 2)
          .append(",\"label_name\":\"")
          .append(i % 2 == 0 ? "normal" : "toxic")
          .append("\"}\n");
    }
    Files.writeString(dir.resolve("train.jsonl"), out);
    Files.writeString(dir.resolve("val.jsonl"), out);
  }
}
