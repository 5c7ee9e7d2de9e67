package dev.candor.trainer.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Terms that should not decide a moderation label on their own: the anonymisation placeholders of
 * the datasets and identity-group words (religion, ethnicity, nationality, gender, sexuality). Used
 * by the simulated reviewers of {@code candor trainer simulate} and to measure how much attribution
 * they carry.
 */
public final class SpuriousTerms {
  private SpuriousTerms() {}

  /** Anonymisation placeholders, matched literally. */
  public static final List<String> PLACEHOLDERS = List.of("<user>", "<number>", "<url>");

  /** Identity-group words, matched as whole words, case-insensitive (plural forms included). */
  public static final List<String> IDENTITY =
      List.of(
          "muslim",
          "muslims",
          "islam",
          "islamic",
          "jew",
          "jews",
          "jewish",
          "christian",
          "christians",
          "hindu",
          "hindus",
          "black",
          "blacks",
          "white",
          "whites",
          "african",
          "africans",
          "asian",
          "asians",
          "arab",
          "arabs",
          "mexican",
          "mexicans",
          "hispanic",
          "hispanics",
          "indian",
          "indians",
          "chinese",
          "refugee",
          "refugees",
          "immigrant",
          "immigrants",
          "women",
          "woman",
          "girl",
          "girls",
          "female",
          "females",
          "gay",
          "gays",
          "lesbian",
          "lesbians",
          "homosexual",
          "homosexuals",
          "transgender",
          "trans",
          "queer");

  private static final Pattern PLACEHOLDER = Pattern.compile("<(user|number|url)>");
  private static final Pattern IDENTITY_WORDS =
      Pattern.compile(
          "(?<![\\p{L}\\p{N}])(" + String.join("|", IDENTITY) + ")(?![\\p{L}\\p{N}])",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /** Spans of the placeholders in {@code text}. */
  public static List<FeedbackItem.Span> placeholders(String text) {
    return find(PLACEHOLDER, text);
  }

  /** Spans of identity-group words in {@code text}. */
  public static List<FeedbackItem.Span> identity(String text) {
    return find(IDENTITY_WORDS, text);
  }

  private static List<FeedbackItem.Span> find(Pattern p, String text) {
    List<FeedbackItem.Span> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(new FeedbackItem.Span(m.start(), m.end()));
    }
    return out;
  }
}
