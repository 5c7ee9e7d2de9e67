package dev.candor.evaluation.functional;

import dev.candor.model.provenance.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Functional templates: hand-written templates, each with a functionality name and an expected
 * binary label, filled with identity groups and, optionally, with named slots (format and rationale
 * in {@code docs/functional-checks.md}). The shipped checks ({@code functional-checks.tsv} next to
 * this class) are for validation and regression only: never trained on, never used to pick a
 * checkpoint. A separate file written for training ({@code functional-training.tsv}, disjoint
 * groups and templates) is expanded by {@link #sample} into a training source.
 *
 * @param source where the suite was read from
 * @param sha256 checksum of the file's bytes
 * @param groups the identity groups, in file order
 * @param slots the named slots' values, in file order ({@code slot} rows; none in the checks)
 * @param templates the templates, in file order
 */
public record FunctionalSuite(
    String source,
    String sha256,
    List<Group> groups,
    Map<String, List<String>> slots,
    List<Template> templates) {

  /** The shipped suite's resource name, relative to this class. */
  public static final String BUNDLED_RESOURCE = "functional-checks.tsv";

  /** The shipped training templates' resource name, relative to this class. */
  public static final String TRAINING_RESOURCE = "functional-training.tsv";

  /** A slot's name, and what a placeholder may hold. */
  private static final String NAME = "[A-Z][A-Z0-9_]*";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(" + NAME + ")}");

  private static final Set<String> GROUP_FIELDS = Set.of("PL", "A_SG", "ADJ");

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
   * @param text the template, with {@code {PL}}, {@code {A_SG}}, {@code {ADJ}}, declared slots or
   *     none
   * @param line its line in the file
   */
  public record Template(String functionality, boolean expectedToxic, String text, int line) {
    /** Whether it names a group (and is expanded once per group). */
    public boolean hasPlaceholder() {
      Matcher m = PLACEHOLDER.matcher(text);
      while (m.find()) {
        if (GROUP_FIELDS.contains(m.group(1))) {
          return true;
        }
      }
      return false;
    }

    /** The slots it names, in order of first use. */
    List<String> slotNames() {
      List<String> out = new ArrayList<>();
      Matcher m = PLACEHOLDER.matcher(text);
      while (m.find()) {
        if (!GROUP_FIELDS.contains(m.group(1)) && !out.contains(m.group(1))) {
          out.add(m.group(1));
        }
      }
      return out;
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
    Map<String, List<String>> copy = new LinkedHashMap<>();
    slots.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    slots = Collections.unmodifiableMap(copy);
    templates = List.copyOf(templates);
  }

  /** The checks shipped with Candor. */
  public static FunctionalSuite bundled() {
    return resource(BUNDLED_RESOURCE);
  }

  /** The training templates shipped with Candor (not the checks). */
  public static FunctionalSuite bundledTraining() {
    return resource(TRAINING_RESOURCE);
  }

  private static FunctionalSuite resource(String name) {
    try (InputStream in = FunctionalSuite.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing");
      }
      return parse(in.readAllBytes(), "bundled " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a suite file. */
  public static FunctionalSuite read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Parses a suite: {@code group TAB name TAB plural TAB singular TAB adjective}, {@code slot TAB
   * NAME TAB value} and {@code case TAB functionality TAB toxic|normal TAB template} rows, {@code
   * #} comments, blank lines.
   *
   * @throws IllegalArgumentException naming the line that is malformed
   */
  public static FunctionalSuite parse(byte[] bytes, String source) {
    List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
    List<Group> groups = new ArrayList<>();
    Map<String, List<String>> slots = new LinkedHashMap<>();
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
        case "slot" -> {
          if (f.length != 3) {
            throw new IllegalArgumentException(
                where + ": a slot row has 3 tab-separated fields, this one " + f.length);
          }
          if (GROUP_FIELDS.contains(f[1]) || !f[1].matches(NAME)) {
            throw new IllegalArgumentException(
                where
                    + ": a slot name is upper case letters, digits and _, and not PL, A_SG or"
                    + " ADJ; was '"
                    + f[1]
                    + "'");
          }
          List<String> values = slots.computeIfAbsent(f[1], k -> new ArrayList<>());
          if (values.contains(f[2])) {
            throw new IllegalArgumentException(
                where + ": slot " + f[1] + " lists '" + f[2] + "' twice");
          }
          values.add(f[2]);
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
          templates.add(new Template(f[1], toxic, f[3], i + 1));
        }
        default ->
            throw new IllegalArgumentException(
                where + ": a row starts with 'group', 'slot' or 'case', not '" + f[0] + "'");
      }
    }
    if (templates.isEmpty()) {
      throw new IllegalArgumentException(source + " has no case rows");
    }
    for (Template t : templates) {
      String where = source + " line " + t.line();
      String rest = PLACEHOLDER.matcher(t.text()).replaceAll("");
      if (rest.contains("{") && rest.contains("}")) {
        throw new IllegalArgumentException(
            where + ": unknown placeholder in '" + t.text() + "' (use {PL}, {A_SG}, {ADJ})");
      }
      for (String slot : t.slotNames()) {
        if (!slots.containsKey(slot)) {
          throw new IllegalArgumentException(
              where
                  + ": unknown placeholder {"
                  + slot
                  + "} in '"
                  + t.text()
                  + "' (use {PL}, {A_SG}, {ADJ} or a slot listed in a slot row)");
        }
      }
      if (t.hasPlaceholder() && groups.isEmpty()) {
        throw new IllegalArgumentException(
            where + ": a template has a placeholder but no group is listed");
      }
    }
    return new FunctionalSuite(source, Hashing.sha256(bytes), groups, slots, templates);
  }

  /**
   * Every template × group × combination of its slots' values (a template without group placeholder
   * once per slot combination), in file order.
   */
  public List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Template t : templates) {
      List<Group> fills = t.hasPlaceholder() ? groups : Collections.singletonList(null);
      List<String> names = t.slotNames();
      for (Group g : fills) {
        int[] at = new int[names.size()];
        do {
          Map<String, String> chosen = new LinkedHashMap<>();
          for (int k = 0; k < at.length; k++) {
            chosen.put(names.get(k), slots.get(names.get(k)).get(at[k]));
          }
          out.add(caseOf(t, g, chosen));
        } while (next(at, names));
      }
    }
    return out;
  }

  /**
   * Up to {@code perTemplate} distinct cases of every template, each a seeded random draw of a
   * group and of its slots' values (fewer where a template has fewer combinations), in file order.
   * The same suite, count and seed give the same cases.
   */
  public List<Case> sample(int perTemplate, long seed) {
    if (perTemplate < 1) {
      throw new IllegalArgumentException("perTemplate must be at least 1, was " + perTemplate);
    }
    Random rng = new Random(seed);
    List<Case> out = new ArrayList<>();
    for (Template t : templates) {
      List<String> names = t.slotNames();
      long combinations = t.hasPlaceholder() ? groups.size() : 1;
      for (String n : names) {
        combinations = Math.multiplyExact(combinations, slots.get(n).size());
      }
      int want = (int) Math.min(perTemplate, combinations);
      Set<String> seen = new HashSet<>();
      // distinct combinations can still give the same text (two values spelt alike after
      // filling): stop drawing after many misses instead of looping forever
      for (int attempt = 0; seen.size() < want && attempt < 1000 * want; attempt++) {
        Group g = t.hasPlaceholder() ? groups.get(rng.nextInt(groups.size())) : null;
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String n : names) {
          List<String> values = slots.get(n);
          chosen.put(n, values.get(rng.nextInt(values.size())));
        }
        Case c = caseOf(t, g, chosen);
        if (seen.add(c.text())) {
          out.add(c);
        }
      }
    }
    return out;
  }

  private boolean next(int[] at, List<String> names) {
    for (int k = at.length - 1; k >= 0; k--) {
      if (++at[k] < slots.get(names.get(k)).size()) {
        return true;
      }
      at[k] = 0;
    }
    return false;
  }

  private static Case caseOf(Template t, Group g, Map<String, String> chosen) {
    return new Case(
        t.functionality(),
        t.expectedToxic(),
        g == null ? null : g.name(),
        t.text(),
        fill(t, g, chosen));
  }

  /** The functionalities, in file order, with their number of cases. */
  public Map<String, Integer> functionalities() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Case c : cases()) {
      out.merge(c.functionality(), 1, Integer::sum);
    }
    return out;
  }

  /**
   * A template filled with a group and slot values; a placeholder that starts a sentence is
   * capitalised.
   */
  static String fill(Template t, Group g, Map<String, String> chosen) {
    Matcher m = PLACEHOLDER.matcher(t.text());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "PL" -> g.plural();
            case "A_SG" -> g.singular();
            case "ADJ" -> g.adjective();
            default -> chosen.get(m.group(1));
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
