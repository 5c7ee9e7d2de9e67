package dev.candor.dashboard.internals;

import dev.candor.dashboard.internals.Model.Span;
import dev.candor.dashboard.internals.Model.StoredFlag;
import dev.candor.dashboard.internals.Model.StoredItem;
import dev.candor.dashboard.internals.Model.Tok;
import dev.candor.dashboard.internals.Model.Word;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.TokenAttribution;
import dev.candor.schemas.avro.WordAttribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a decoded {@code ExplainedPrediction} into a row the store can keep, or says why not.
 * Records that would break the database or the page (over-long texts and fields, NUL characters,
 * non-finite numbers, too many elements, unknown model versions when an allow-list is set) are
 * refused with a reason; out-of-range spans are dropped from the row rather than trusted.
 */
public final class FlagValidator {
  static final int MAX_ID = 256;
  static final int MAX_NAME = 128;
  static final int MAX_LABELS = 64;
  static final int MAX_TOKENS = 8192;
  static final int MAX_WORDS = 20_000;
  static final int MAX_FLAGS = 256;
  static final int MAX_SPANS = 64;
  static final int MAX_DETAIL = 4000;
  static final int MAX_TOKEN_CHARS = 256;

  private final int maxTextChars;
  private final Set<String> modelVersions;

  /** The result: an item, or a reason it was refused. */
  public record Result(StoredItem item, String reason) {
    static Result refuse(String reason) {
      return new Result(null, reason);
    }

    /**
     * @return whether the record can be stored
     */
    public boolean ok() {
      return item != null;
    }
  }

  /**
   * @param maxTextChars longest text accepted
   * @param modelVersions accepted model versions; empty accepts any
   */
  public FlagValidator(int maxTextChars, Set<String> modelVersions) {
    this.maxTextChars = maxTextChars;
    this.modelVersions = Set.copyOf(modelVersions);
  }

  /**
   * Validates one record.
   *
   * @param p the decoded record
   * @return the item or the reason (a short kebab-case word used as a metric tag)
   */
  public Result validate(ExplainedPrediction p) {
    String id = p.getId();
    if (id == null || id.isEmpty() || id.length() > MAX_ID || hasNul(id)) {
      return Result.refuse("bad-id");
    }
    String mv = p.getModelVersion();
    if (mv == null || mv.isEmpty() || mv.length() > MAX_NAME || hasNul(mv)) {
      return Result.refuse("bad-model-version");
    }
    if (!modelVersions.isEmpty() && !modelVersions.contains(mv)) {
      return Result.refuse("unknown-model-version");
    }
    List<String> labels = p.getLabels();
    List<Double> scores = p.getScores();
    if (labels.isEmpty() || labels.size() > MAX_LABELS || scores.size() != labels.size()) {
      return Result.refuse("bad-labels");
    }
    for (String l : labels) {
      if (l.isEmpty() || l.length() > MAX_NAME || hasNul(l)) {
        return Result.refuse("bad-labels");
      }
    }
    int li = p.getLabelIndex();
    if (li < 0 || li >= labels.size() || !labels.get(li).equals(p.getLabel())) {
      return Result.refuse("bad-labels");
    }
    int ei = p.getExplainedLabelIndex();
    if (ei < 0 || ei >= labels.size()) {
      return Result.refuse("bad-labels");
    }
    for (double s : scores) {
      if (!Double.isFinite(s)) {
        return Result.refuse("non-finite-number");
      }
    }
    if (!Double.isFinite(p.getCompletenessResidual())) {
      return Result.refuse("non-finite-number");
    }
    String text = p.getText();
    if (text != null && text.length() > maxTextChars) {
      return Result.refuse("text-too-long");
    }
    if (text != null && hasNul(text)) {
      return Result.refuse("nul-in-text");
    }
    int len = text == null ? -1 : text.length();
    String sha = p.getTextSha256();
    if (sha == null || !sha.matches("[0-9a-f]{64}")) {
      return Result.refuse("bad-sha256");
    }
    if (p.getTokens().size() > MAX_TOKENS
        || p.getWords().size() > MAX_WORDS
        || p.getFlags().size() > MAX_FLAGS) {
      return Result.refuse("too-many-elements");
    }
    List<Tok> tokens = new ArrayList<>(p.getTokens().size());
    for (TokenAttribution t : p.getTokens()) {
      if (!Double.isFinite(t.getAttribution())) {
        return Result.refuse("non-finite-number");
      }
      boolean inText = !t.getSpecial() && validSpan(t.getStart(), t.getEnd(), len);
      tokens.add(
          new Tok(
              cut(t.getToken(), MAX_TOKEN_CHARS),
              inText ? t.getStart() : -1,
              inText ? t.getEnd() : -1,
              t.getSpecial(),
              t.getAttribution()));
    }
    List<Word> words = new ArrayList<>(p.getWords().size());
    int lastEnd = 0;
    for (WordAttribution w : p.getWords()) {
      if (!Double.isFinite(w.getAttribution())) {
        return Result.refuse("non-finite-number");
      }
      // Kept only in order and without overlap, so the page can lay them out over the text.
      if (validSpan(w.getStart(), w.getEnd(), len) && w.getStart() >= lastEnd) {
        words.add(
            new Word(
                text.substring(w.getStart(), w.getEnd()),
                w.getStart(),
                w.getEnd(),
                w.getAttribution()));
        lastEnd = w.getEnd();
      }
    }
    List<StoredFlag> flags = new ArrayList<>(p.getFlags().size());
    for (SpuriousFlag f : p.getFlags()) {
      if (f.getType().isEmpty() || f.getType().length() > MAX_NAME || hasNul(f.getType())) {
        return Result.refuse("bad-flag-type");
      }
      if (!Double.isFinite(f.getScore())) {
        return Result.refuse("non-finite-number");
      }
      List<Span> spans = new ArrayList<>();
      for (CharSpan s : f.getSpans()) {
        if (spans.size() < MAX_SPANS && validSpan(s.getStart(), s.getEnd(), len)) {
          spans.add(new Span(s.getStart(), s.getEnd()));
        }
      }
      int ti = f.getTokenIndex();
      flags.add(
          new StoredFlag(
              f.getType(),
              cut(f.getDetail().replace('\0', ' '), MAX_DETAIL),
              f.getScore(),
              ti >= 0 && ti < tokens.size() ? ti : -1,
              spans));
    }
    return new Result(
        new StoredItem(
            id,
            mv,
            p.getLabel(),
            scores.get(li),
            List.copyOf(labels),
            List.copyOf(scores),
            ei,
            text,
            sha,
            tokens,
            words,
            p.getCompletenessResidual(),
            p.getTruncated(),
            p.getSubmittedAtMs(),
            0L,
            flags,
            null,
            null,
            List.of()),
        null);
  }

  private static boolean validSpan(int start, int end, int len) {
    return len >= 0 && start >= 0 && start < end && end <= len;
  }

  private static boolean hasNul(String s) {
    return s.indexOf('\0') >= 0;
  }

  private static String cut(String s, int n) {
    String r = s.length() <= n ? s : s.substring(0, n);
    return r.replace('\0', ' ');
  }
}
