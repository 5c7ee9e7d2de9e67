package dev.candor.model.data;

import dev.candor.model.provenance.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Candor's one identity lexicon: terms that name groups of people (religion, ethnicity,
 * nationality, gender, sexuality, disability), each with its grammatical form and the identity it
 * names. The bundled file is {@code identity-terms.tsv} next to this class (its {@code README.md}
 * gives source, licence and format); the stream app's detectors, the trainer's simulated reviewers
 * and counterfactual augmentation ({@link IdentityAugmentation}) all read it.
 *
 * <p>Matching here is on the raw text: whole words, case-insensitive, longest term first, words of
 * a multi-word term separated by any whitespace.
 */
public final class IdentityTerms {

  /** The bundled lexicon's resource name, relative to this class. */
  public static final String BUNDLED_RESOURCE = "identity-terms.tsv";

  /**
   * One term.
   *
   * @param category e.g. religion; swaps stay inside a category
   * @param form grammatical slot; swaps keep it
   * @param identity the group named
   * @param term the term as listed (lower case; one or more words)
   */
  public record Term(String category, String form, String identity, String term) {}

  /**
   * A term found in a text.
   *
   * @param term the lexicon entry
   * @param start first char index in the text
   * @param end index after the last char
   * @param text the text as written there (case kept)
   */
  public record Occurrence(Term term, int start, int end, String text) {}

  private static volatile IdentityTerms bundled;

  private final String source;
  private final String sha256;
  private final List<Term> terms;
  private final Map<String, Term> byTerm = new LinkedHashMap<>();
  private final Map<String, List<String>> identities = new LinkedHashMap<>();
  private final Pattern pattern;

  private IdentityTerms(String source, String sha256, List<Term> terms) {
    this.source = source;
    this.sha256 = sha256;
    this.terms = List.copyOf(terms);
    for (Term t : terms) {
      byTerm.putIfAbsent(t.term(), t);
      List<String> ids = identities.computeIfAbsent(t.category(), k -> new ArrayList<>());
      if (!ids.contains(t.identity())) {
        ids.add(t.identity());
      }
    }
    List<String> alternatives = new ArrayList<>(byTerm.keySet());
    alternatives.sort(Comparator.comparingInt((String s) -> -s.length()));
    List<String> quoted = new ArrayList<>();
    for (String a : alternatives) {
      List<String> words = new ArrayList<>();
      for (String w : a.split("\\s+")) {
        words.add(Pattern.quote(w));
      }
      quoted.add(String.join("\\s+", words));
    }
    this.pattern =
        quoted.isEmpty()
            ? null
            : Pattern.compile(
                "(?<![\\p{L}\\p{N}])(?:" + String.join("|", quoted) + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** The lexicon shipped with Candor (read once). */
  public static IdentityTerms bundled() {
    IdentityTerms b = bundled;
    if (b == null) {
      byte[] bytes = bundledBytes();
      b =
          parse(
              new String(bytes, StandardCharsets.UTF_8).lines().toList(),
              "bundled " + BUNDLED_RESOURCE,
              Hashing.sha256(bytes));
      bundled = b;
    }
    return b;
  }

  /** The bundled file's lines, for readers that build their own index over the same entries. */
  public static List<String> bundledLines() {
    return new String(bundledBytes(), StandardCharsets.UTF_8).lines().toList();
  }

  private static byte[] bundledBytes() {
    try (InputStream in = IdentityTerms.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + BUNDLED_RESOURCE + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a lexicon file in the bundled format. */
  public static IdentityTerms read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return parse(
        new String(bytes, StandardCharsets.UTF_8).lines().toList(),
        file.toString(),
        Hashing.sha256(bytes));
  }

  /**
   * Parses lexicon lines: {@code category TAB form TAB identity TAB term}; {@code #} comments and
   * blank lines are skipped; the term is lower-cased.
   *
   * @throws IllegalArgumentException naming the line that is malformed
   */
  public static IdentityTerms parse(List<String> lines, String source) {
    return parse(
        lines, source, Hashing.sha256(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
  }

  private static IdentityTerms parse(List<String> lines, String source, String sha256) {
    List<Term> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = lines.get(i).split("\t", -1);
      if (f.length != 4) {
        throw new IllegalArgumentException(
            source + " line " + (i + 1) + ": expected 4 tab-separated fields, got " + f.length);
      }
      for (int j = 0; j < 4; j++) {
        f[j] = f[j].strip();
        if (f[j].isEmpty()) {
          throw new IllegalArgumentException(source + " line " + (i + 1) + ": empty field");
        }
      }
      out.add(new Term(f[0], f[1], f[2], f[3].toLowerCase(Locale.ROOT)));
    }
    return new IdentityTerms(source, sha256, out);
  }

  /** Where the lexicon was read from. */
  public String source() {
    return source;
  }

  /** sha256 of the lexicon's bytes (the file or resource as read). */
  public String sha256() {
    return sha256;
  }

  /** Every term, in file order. */
  public List<Term> terms() {
    return terms;
  }

  /** The identities of a category, in file order. */
  public List<String> identities(String category) {
    return identities.getOrDefault(category, List.of());
  }

  /** The lexicon's entry for a term (the first listed), matched case-insensitively. */
  public Optional<Term> term(String term) {
    return Optional.ofNullable(byTerm.get(term.toLowerCase(Locale.ROOT).strip()));
  }

  /** The first term of this category, identity and form, if the lexicon has one. */
  public Optional<Term> termFor(String category, String identity, String form) {
    for (Term t : terms) {
      if (t.category().equals(category) && t.identity().equals(identity) && t.form().equals(form)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Terms in {@code text}, in text order, not overlapping (longest term first). */
  public List<Occurrence> find(String text) {
    List<Occurrence> out = new ArrayList<>();
    if (pattern == null) {
      return out;
    }
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      String found = m.group();
      String key = found.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
      Term t = byTerm.get(key);
      if (t != null) {
        out.add(new Occurrence(t, m.start(), m.end(), found));
      }
    }
    return out;
  }

  /**
   * {@code replacement} written in the letter case of {@code original}: all capitals, every word
   * capitalised, the first letter capitalised, or as it is (lower case).
   */
  public static String matchCase(String original, String replacement) {
    boolean hasLetter = false;
    boolean allUpper = true;
    for (int i = 0; i < original.length(); i++) {
      char c = original.charAt(i);
      if (Character.isLetter(c)) {
        hasLetter = true;
        allUpper &= Character.isUpperCase(c);
      }
    }
    if (hasLetter && allUpper && original.codePointCount(0, original.length()) > 1) {
      return replacement.toUpperCase(Locale.ROOT);
    }
    if (original.isEmpty() || !Character.isUpperCase(original.charAt(0))) {
      return replacement;
    }
    String[] words = original.split("\\s+");
    boolean everyWord = words.length > 1;
    for (String w : words) {
      everyWord &= !w.isEmpty() && Character.isUpperCase(w.charAt(0));
    }
    if (!everyWord) {
      return capitalise(replacement);
    }
    String[] rw = replacement.split(" ", -1);
    for (int i = 0; i < rw.length; i++) {
      rw[i] = capitalise(rw[i]);
    }
    return String.join(" ", rw);
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
