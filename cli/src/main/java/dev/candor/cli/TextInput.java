package dev.candor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Texts to classify: arguments, a file (one text per line, or JSONL with a "text" field), or
 * standard input when neither is given.
 */
final class TextInput {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(arity = "0..*", paramLabel = "TEXT", description = "texts to classify")
  List<String> texts = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      description = "file with one text per line, or JSONL with \"text\"")
  Path file;

  List<String> read(InputStream stdin) throws IOException {
    List<String> out = new ArrayList<>(texts);
    if (file != null) {
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        out.addAll(lines(r));
      }
    }
    if (out.isEmpty()) {
      out.addAll(lines(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no text given: pass TEXT arguments, --file or stdin");
    }
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).isBlank()) {
        throw new IllegalArgumentException("text " + (i + 1) + " is empty");
      }
    }
    return out;
  }

  private static List<String> lines(BufferedReader r) throws IOException {
    List<String> out = new ArrayList<>();
    String line;
    while ((line = r.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      String t = line.strip();
      if (t.startsWith("{")) {
        JsonNode node;
        try {
          node = JSON.readTree(t);
        } catch (IOException e) {
          node = null; // not JSON after all: take the line as text
        }
        if (node != null && node.path("text").isTextual()) {
          out.add(node.get("text").asText());
          continue;
        }
      }
      out.add(line);
    }
    return out;
  }
}
