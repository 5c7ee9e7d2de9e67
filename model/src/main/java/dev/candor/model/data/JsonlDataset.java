package dev.candor.model.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Hashing;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSONL file of {@code {"id": str, "text": str, "label": int, ...}} objects (the uniform format
 * of {@code shared/data/README.md}).
 *
 * @param file where it was read from
 * @param examples the rows, in file order
 * @param sha256 checksum of the file as read
 */
public record JsonlDataset(Path file, List<Example> examples, String sha256) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a file; a malformed line is an error naming the file and line number. */
  public static JsonlDataset read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "dataset file not found");
    }
    List<Example> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException e) {
          throw new IOException(file + ":" + lineNo + ": not valid JSON: " + e.getMessage());
        }
        if (!node.path("text").isTextual() || !node.path("label").canConvertToInt()) {
          throw new IOException(
              file + ":" + lineNo + ": each line needs a string \"text\" and an integer \"label\"");
        }
        String id = node.path("id").asText(String.valueOf(lineNo));
        out.add(new Example(id, node.get("text").asText(), node.get("label").asInt(), node));
      }
    }
    if (out.isEmpty()) {
      throw new IOException(file + " has no examples");
    }
    return new JsonlDataset(file, List.copyOf(out), Hashing.sha256(file));
  }

  /** Label names by index, from the rows' {@code label_name} fields (or "0", "1", …). */
  public List<String> labelNames() {
    int max = 0;
    for (Example e : examples) {
      max = Math.max(max, e.label());
    }
    String[] names = new String[max + 1];
    for (Example e : examples) {
      if (names[e.label()] == null && e.raw().hasNonNull("label_name")) {
        names[e.label()] = e.raw().get("label_name").asText();
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      out.add(names[i] == null ? String.valueOf(i) : names[i]);
    }
    return out;
  }

  /** This file as a data source of a bundle or report, with the checksum of the bytes read. */
  public DataSource provenance(String role) {
    return new DataSource(
        role, file.toAbsolutePath().normalize().toString(), sha256, examples.size());
  }

  /** The first {@code n} rows (all when n ≤ 0). */
  public List<Example> head(int n) {
    return n <= 0 || n >= examples.size() ? examples : examples.subList(0, n);
  }
}
