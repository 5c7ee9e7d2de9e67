package dev.candor.stream.flags;

import dev.candor.model.data.IdentityTerms;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.flags.internals.Evidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Identity terms (religion, ethnicity, nationality, gender, sexuality, disability) with the
 * grammatical form and the identity each names, read from a tab-separated file; the bundled one is
 * the model module's {@code dev/candor/model/data/identity-terms.tsv} ({@link IdentityTerms}; its
 * README gives source, licence and format), indexed here by the words {@link Evidence} splits.
 */
public final class IdentityLexicon {

  /** The bundled lexicon's resource name, relative to {@link IdentityTerms}. */
  public static final String BUNDLED_RESOURCE = IdentityTerms.BUNDLED_RESOURCE;

  /**
   * One term.
   *
   * @param category e.g. religion
   * @param form grammatical slot; swaps keep it
   * @param identity the group named
   * @param term the term as listed (lower case)
   * @param words the term split into words as {@link Evidence} splits texts
   */
  public record Entry(
      String category, String form, String identity, String term, List<String> words) {}

  /**
   * A term found in a text.
   *
   * @param entry the lexicon entry
   * @param firstUnit index of its first word in {@link Evidence#units()}
   * @param lastUnit index of its last word (inclusive)
   */
  public record Match(Entry entry, int firstUnit, int lastUnit) {}

  private static volatile IdentityLexicon bundled;

  private final String source;
  private final List<Entry> entries;
  private final Map<String, List<Entry>> byFirstWord = new HashMap<>();
  // category -> identities in file order
  private final Map<String, List<String>> identities = new LinkedHashMap<>();

  private IdentityLexicon(String source, List<Entry> entries) {
    this.source = source;
    this.entries = List.copyOf(entries);
    for (Entry e : entries) {
      byFirstWord.computeIfAbsent(e.words().get(0), k -> new ArrayList<>()).add(e);
      List<String> ids = identities.computeIfAbsent(e.category(), k -> new ArrayList<>());
      if (!ids.contains(e.identity())) {
        ids.add(e.identity());
      }
    }
    // Longest terms first, so "african americans" wins over "african".
    for (List<Entry> l : byFirstWord.values()) {
      l.sort(Comparator.comparingInt((Entry e) -> -e.words().size()));
    }
  }

  /**
   * The lexicon shipped with Candor: the model module's {@link IdentityTerms} file, the one
   * identity lexicon that augmentation and the trainer read too.
   *
   * @return the bundled lexicon (read once)
   */
  public static IdentityLexicon bundled() {
    IdentityLexicon b = bundled;
    if (b == null) {
      b = parse(IdentityTerms.bundledLines(), "bundled " + BUNDLED_RESOURCE);
      bundled = b;
    }
    return b;
  }

  /**
   * Reads a lexicon file.
   *
   * @param file a UTF-8 file in the bundled lexicon's format
   * @return the lexicon
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the line that is malformed
   */
  public static IdentityLexicon read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses lexicon lines with {@link IdentityTerms#parse} ({@code category TAB form TAB identity
   * TAB term}; {@code #} comments and blank lines are skipped) and splits each term into words as
   * {@link Evidence} splits texts.
   *
   * @param lines the lines
   * @param source where they came from, for messages
   * @return the lexicon (possibly empty)
   * @throws IllegalArgumentException naming the line that is malformed
   */
  public static IdentityLexicon parse(List<String> lines, String source) {
    List<Entry> entries = new ArrayList<>();
    for (IdentityTerms.Term t : IdentityTerms.parse(lines, source).terms()) {
      String term = t.term();
      List<String> words = new ArrayList<>();
      for (int[] s : Evidence.segment(term, ArtifactPatterns.defaults())) {
        words.add(Evidence.Unit.key(term.substring(s[0], s[1])));
      }
      if (words.isEmpty()) {
        throw new IllegalArgumentException(source + ": no word in term '" + term + "'");
      }
      entries.add(new Entry(t.category(), t.form(), t.identity(), term, List.copyOf(words)));
    }
    return new IdentityLexicon(source, entries);
  }

  /** Where the lexicon was read from. */
  public String source() {
    return source;
  }

  /** Every entry, in file order. */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * Finds the lexicon's terms among a text's words, longest match first, not overlapping.
   *
   * @param evidence the text's words
   * @return the matches in text order
   */
  public List<Match> find(Evidence evidence) {
    List<Evidence.Unit> units = evidence.units();
    List<Match> out = new ArrayList<>();
    int i = 0;
    while (i < units.size()) {
      Match m = units.get(i).artifact() ? null : matchAt(units, i);
      if (m == null) {
        i++;
      } else {
        out.add(m);
        i = m.lastUnit() + 1;
      }
    }
    return out;
  }

  private Match matchAt(List<Evidence.Unit> units, int i) {
    List<Entry> candidates = byFirstWord.get(units.get(i).key());
    if (candidates == null) {
      return null;
    }
    for (Entry e : candidates) {
      int n = e.words().size();
      if (i + n > units.size()) {
        continue;
      }
      boolean ok = true;
      for (int k = 1; k < n && ok; k++) {
        ok = !units.get(i + k).artifact() && units.get(i + k).key().equals(e.words().get(k));
      }
      if (ok) {
        return new Match(e, i, i + n - 1);
      }
    }
    return null;
  }

  /**
   * Terms to swap {@code entry} with: the first term of the same category and form of each other
   * identity, in file order starting after the entry's identity and wrapping around.
   *
   * @param entry the term found in a text
   * @param max at most this many
   * @return the swaps, possibly empty
   */
  public List<Entry> swaps(Entry entry, int max) {
    Objects.requireNonNull(entry, "entry cannot be null");
    List<String> ids = identities.getOrDefault(entry.category(), List.of());
    int at = ids.indexOf(entry.identity());
    List<Entry> out = new ArrayList<>();
    for (int k = 1; k < ids.size() && out.size() < max; k++) {
      String other = ids.get(Math.floorMod(at + k, ids.size()));
      for (Entry e : entries) {
        if (e.identity().equals(other)
            && e.category().equals(entry.category())
            && e.form().equals(entry.form())) {
          out.add(e);
          break;
        }
      }
    }
    return out;
  }
}
