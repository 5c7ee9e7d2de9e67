package dev.candor.evaluation.functional;

import dev.candor.model.provenance.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Functional checks: hand-written templates, each with a functionality name and an expected binary
 * label, expanded over identity groups (format and rationale in {@code docs/functional-checks.md};
 * the shipped file is {@code functional-checks.tsv} next to this class). For validation and
 * regression only: never trained on, never used to pick a checkpoint.
 *
 * @param source where the suite was read from
 * @param sha256 checksum of the file's bytes
 * @param groups the identity groups, in file order
 * @param templates the templates, in file order
 */
public record FunctionalSuite(
    String source, String sha256, List<Group> groups, List<Template> templates) {

  /** The shipped suite's resource name, relative to this class. */
  public static final String BUNDLED_RESOURCE = "functional-checks.tsv";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(PL|A_SG|ADJ)}");

  /**
   * An identity group the templates are filled with.
   *
   * @param name short name (e.g. muslims)
   * @param plural plural noun phrase ({@code {PL}}: "Muslims")
   * @param singular singular with article ({@code {A_SG}}: "a Muslim")
   * @param adjective adjective ({@code {ADJ}}: "Muslim")
   */
  public record Group(String name, String plural, String singular, String adjective) {}

  /**
   * One template.
   *
   * @param functionality what it checks, e.g. counter_speech
   * @param expectedToxic whether the right answer is toxic
   * @param text the template, with {@code {PL}}, {@code {A_SG}} or {@code {ADJ}} or none
   * @param line its line in the file
   */
  public record Template(String functionality, boolean expectedToxic, String text, int line) {
    /** Whether it names a group (and is expanded once per group). */
    public boolean hasPlaceholder() {
      return PLACEHOLDER.matcher(text).find();
    }
  }

  /**
   * One expanded case.
   *
   * @param functionality the template's functionality
   * @param expectedToxic the expected binary label
   * @param group the group filled in, or null for a template without placeholder
   * @param template the template text
   * @param text the text to classify
   */
  public record Case(
      String functionality, boolean expectedToxic, String group, String template, String text) {}

  public FunctionalSuite {
    groups = List.copyOf(groups);
    templates = List.copyOf(templates);
  }

  /** The suite shipped with Candor. */
  public static FunctionalSuite bundled() {
    try (InputStream in = FunctionalSuite.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + BUNDLED_RESOURCE + " is missing");
      }
      return parse(in.readAllBytes(), "bundled " + BUNDLED_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a suite file. */
  public static FunctionalSuite read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Parses a suite: {@code group TAB name TAB plural TAB singular TAB adjective} and {@code case
   * TAB functionality TAB toxic|normal TAB template} rows, {@code #} comments, blank lines.
   *
   * @throws IllegalArgumentException naming the line that is malformed
   */
  public static FunctionalSuite parse(byte[] bytes, String source) {
    List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
    List<Group> groups = new ArrayList<>();
    List<Template> templates = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      String[] f = line.split("\t", -1);
      for (int j = 0; j < f.length; j++) {
        f[j] = f[j].strip();
        if (f[j].isEmpty()) {
          throw new IllegalArgumentException(where + ": empty field " + (j + 1));
        }
      }
      switch (f[0]) {
        case "group" -> {
          if (f.length != 5) {
            throw new IllegalArgumentException(
                where + ": a group row has 5 tab-separated fields, this one " + f.length);
          }
          for (Group g : groups) {
            if (g.name().equals(f[1])) {
              throw new IllegalArgumentException(where + ": group " + f[1] + " is listed twice");
            }
          }
          groups.add(new Group(f[1], f[2], f[3], f[4]));
        }
        case "case" -> {
          if (f.length != 4) {
            throw new IllegalArgumentException(
                where + ": a case row has 4 tab-separated fields, this one " + f.length);
          }
          boolean toxic =
              switch (f[2]) {
                case "toxic" -> true;
                case "normal" -> false;
                default ->
                    throw new IllegalArgumentException(
                        where + ": expected label must be toxic or normal, was '" + f[2] + "'");
              };
          String rest = PLACEHOLDER.matcher(f[3]).replaceAll("");
          if (rest.contains("{") && rest.contains("}")) {
            throw new IllegalArgumentException(
                where + ": unknown placeholder in '" + f[3] + "' (use {PL}, {A_SG}, {ADJ})");
          }
          templates.add(new Template(f[1], toxic, f[3], i + 1));
        }
        default ->
            throw new IllegalArgumentException(
                where + ": a row starts with 'group' or 'case', not '" + f[0] + "'");
      }
    }
    if (templates.isEmpty()) {
      throw new IllegalArgumentException(source + " has no case rows");
    }
    for (Template t : templates) {
      if (t.hasPlaceholder() && groups.isEmpty()) {
        throw new IllegalArgumentException(
            source + " line " + t.line() + ": a template has a placeholder but no group is listed");
      }
    }
    return new FunctionalSuite(source, Hashing.sha256(bytes), groups, templates);
  }

  /** Every template × group (a template without placeholder once), in file order. */
  public List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Template t : templates) {
      if (!t.hasPlaceholder()) {
        out.add(new Case(t.functionality(), t.expectedToxic(), null, t.text(), t.text()));
        continue;
      }
      for (Group g : groups) {
        out.add(new Case(t.functionality(), t.expectedToxic(), g.name(), t.text(), fill(t, g)));
      }
    }
    return out;
  }

  /** The functionalities, in file order, with their number of cases. */
  public Map<String, Integer> functionalities() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Case c : cases()) {
      out.merge(c.functionality(), 1, Integer::sum);
    }
    return out;
  }

  /** A template filled with a group; a placeholder that starts a sentence is capitalised. */
  static String fill(Template t, Group g) {
    Matcher m = PLACEHOLDER.matcher(t.text());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "PL" -> g.plural();
            case "A_SG" -> g.singular();
            default -> g.adjective();
          };
      if (sentenceStart(t.text(), m.start()) && !value.isEmpty()) {
        value = value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static boolean sentenceStart(String text, int at) {
    for (int i = at - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '"' || c == '\'') {
        continue;
      }
      return c == '.' || c == '!' || c == '?';
    }
    return true;
  }
}
