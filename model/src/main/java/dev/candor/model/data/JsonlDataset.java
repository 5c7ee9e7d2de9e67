package dev.candor.model.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.Hashing;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

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

  /**
   * This dataset with only the rows whose class (by {@link #labelNames()}) is one of {@code keep}:
   * e.g. Toxic Spans' {@code toxic} rows, whose {@code no_span} rows are toxic comments without a
   * marked span rather than benign ones. Class indices are unchanged.
   *
   * @throws IllegalArgumentException naming the file if a class is not one of its classes, or if no
   *     row is left
   */
  public JsonlDataset keepLabels(Collection<String> keep) {
    List<String> names = labelNames();
    for (String k : keep) {
      if (!names.contains(k)) {
        throw new IllegalArgumentException(
            file + " has no class '" + k + "' to keep (its classes: " + names + ")");
      }
    }
    List<Example> out = new ArrayList<>();
    for (Example e : examples) {
      if (keep.contains(names.get(e.label()))) {
        out.add(e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file + " has no rows of the classes " + keep);
    }
    return new JsonlDataset(file, List.copyOf(out), sha256);
  }

  /**
   * This dataset with every row in class {@code index}, named {@code name}, whatever its own label
   * says: a source of texts that all belong to one class of the mix, e.g. SST-2's movie-review
   * sentences as {@code normal} (well-formed benign prose beside a source of toxic comments only).
   * Each row's {@code raw} gets {@code label} and {@code label_name} rewritten to match.
   */
  public JsonlDataset asClass(int index, String name) {
    if (index < 0) {
      throw new IllegalArgumentException("class index must be >= 0, was " + index);
    }
    List<Example> out = new ArrayList<>(examples.size());
    for (Example e : examples) {
      out.add(inClass(e, index, name));
    }
    return new JsonlDataset(file, List.copyOf(out), sha256);
  }

  /** {@code e} in class {@code index} named {@code name}, its {@code raw} rewritten to match. */
  private static Example inClass(Example e, int index, String name) {
    ObjectNode raw = e.raw() == null ? JSON.createObjectNode() : e.raw().deepCopy();
    raw.put("label", index);
    raw.put("label_name", name);
    return new Example(e.id(), e.text(), index, raw);
  }

  /** ASCII punctuation except the apostrophe and {@code < >} (which mark {@code <user>}). */
  private static final Pattern PUNCTUATION = Pattern.compile("[!-&(-/:;=?@\\[-`{-~]+");

  /**
   * This dataset with ASCII punctuation (all but {@code ' < >}) replaced by spaces and runs of
   * white space collapsed, in {@code text} and in each row's {@code raw}. HateXplain's texts carry
   * no punctuation (they are its whitespace tokens joined), so a source mixed in with punctuation
   * would teach "!" or "." as evidence for whichever class that source adds. Character offsets in
   * other fields (Toxic Spans' {@code spans}) no longer match the text: for training only.
   */
  public JsonlDataset withoutPunctuation() {
    List<Example> out = new ArrayList<>(examples.size());
    for (Example e : examples) {
      String text =
          String.join(" ", PUNCTUATION.matcher(e.text()).replaceAll(" ").trim().split("\\s+"));
      ObjectNode raw = e.raw() == null ? JSON.createObjectNode() : e.raw().deepCopy();
      raw.put("text", text);
      out.add(new Example(e.id(), text, e.label(), raw));
    }
    return new JsonlDataset(file, List.copyOf(out), sha256);
  }

  /**
   * The default class order of a label field's values: HateXplain's three classes (also Davidson's
   * {@code label3}) from benign to most severe, {@code normal, offensive, hatespeech}, so that the
   * last class is the one a single score ranks and index 0 stays the benign class as in the binary
   * {@code label}; any other set of names in alphabetical order.
   */
  public static final List<String> HATEXPLAIN_3 = List.of("normal", "offensive", "hatespeech");

  /**
   * The distinct string values of {@code field} over all rows, in the default class order (see
   * {@link #HATEXPLAIN_3}).
   *
   * @throws IllegalArgumentException if a row lacks the field or holds a non-string there
   */
  public List<String> fieldValues(String field) {
    Set<String> names = new TreeSet<>();
    for (Example e : examples) {
      names.add(textField(e, field));
    }
    if (names.equals(Set.copyOf(HATEXPLAIN_3))) {
      return HATEXPLAIN_3;
    }
    return List.copyOf(names);
  }

  /**
   * This dataset with each row's class taken from the string field {@code field} (e.g. HateXplain's
   * {@code label3}) instead of {@code label}: the class index is the value's position in {@code
   * names}. Each row's {@code raw} gets {@code label} and {@code label_name} rewritten to match, so
   * that {@link #labelNames()} and whoever reads {@code raw} see the new classes. {@code field =
   * "label"} with names equal to {@link #labelNames()} returns this dataset.
   *
   * @param field a string field present in every row, or "label" for the integer label
   * @param names class names in index order; every row's value must be one of them
   * @throws IllegalArgumentException naming the file and row of the first value not in {@code
   *     names}
   */
  public JsonlDataset withLabels(String field, List<String> names) {
    if (names == null || names.size() < 2 || Set.copyOf(names).size() != names.size()) {
      throw new IllegalArgumentException("need at least two distinct class names: " + names);
    }
    if (field.equals("label")) {
      if (!labelNames().equals(names)) {
        throw new IllegalArgumentException(
            file + ": its label names " + labelNames() + " are not " + names);
      }
      return this;
    }
    List<Example> out = new ArrayList<>(examples.size());
    for (Example e : examples) {
      String value = textField(e, field);
      int index = names.indexOf(value);
      if (index < 0) {
        throw new IllegalArgumentException(
            file
                + ": row "
                + e.id()
                + " has "
                + field
                + " = '"
                + value
                + "', which is not one of "
                + names);
      }
      out.add(inClass(e, index, value));
    }
    return new JsonlDataset(file, List.copyOf(out), sha256);
  }

  /**
   * This dataset with the classes of a model whose labels are {@code modelLabels}: itself when its
   * {@code label_name}s are those labels; otherwise the first string field (in the order of the
   * first row's fields) whose values are all among the model's labels, e.g. {@code label3} for a
   * three-class HateXplain model; otherwise, when the file has as many classes as the model (e.g. a
   * binary model on another binary set, as before), itself with its indices as they are. A
   * three-class model is thus never scored or trained on a binary file's indices (1 = toxic would
   * be read as its class 1), and the reverse is refused too.
   *
   * @throws IllegalArgumentException if no field names the model's classes and the number of
   *     classes differs
   */
  public JsonlDataset forLabels(List<String> modelLabels) {
    if (labelNames().equals(modelLabels)) {
      return this;
    }
    Set<String> wanted = Set.copyOf(modelLabels);
    Iterator<String> fields = examples.get(0).raw().fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (field.equals("label_name") || field.equals("id") || field.equals("text")) {
        continue;
      }
      boolean all = true;
      for (Example e : examples) {
        JsonNode v = e.raw().get(field);
        if (v == null || !v.isTextual() || !wanted.contains(v.asText())) {
          all = false;
          break;
        }
      }
      if (all) {
        return withLabels(field, modelLabels);
      }
    }
    if (labelNames().size() == modelLabels.size()) {
      return this;
    }
    for (Example e : examples) {
      if (e.label() < 0 || e.label() >= modelLabels.size()) {
        throw new IllegalArgumentException(
            file
                + ": example "
                + e.id()
                + " has label "
                + e.label()
                + " but the model has "
                + modelLabels.size()
                + " labels "
                + modelLabels);
      }
    }
    throw new IllegalArgumentException(
        file
            + ": its labels "
            + labelNames()
            + " are not the model's "
            + modelLabels
            + ", and no string field of its rows holds only the model's label names");
  }

  private String textField(Example e, String field) {
    JsonNode v = e.raw() == null ? null : e.raw().get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(
          file + ": row " + e.id() + " has no string field '" + field + "'");
    }
    return v.asText();
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
