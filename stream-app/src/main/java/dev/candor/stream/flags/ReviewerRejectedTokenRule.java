package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.flags.internals.Evidence;
import dev.candor.stream.flags.internals.RuleConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigException;

/**
 * Flags a prediction whose top evidence is a word reviewers marked as spurious. The marks come from
 * the feedback topic ({@link FlagContext#reviewerMarks}, kept by the topology in a global store:
 * each reviewer's latest judgement of each text marks the words its spans cover, a RETRACT
 * withdraws them). A word counts as rejected once {@link
 * ReviewerRejectedTokenRule#MIN_MARKS_CONFIG} judgements mark it; the rule fires when a rejected
 * word carries at least {@link ReviewerRejectedTokenRule#MIN_SHARE_CONFIG} of the positive
 * word-level evidence and fewer than {@link ReviewerRejectedTokenRule#TOP_K_CONFIG} other words
 * carry more. Words are compared lower-cased, artifacts such as {@code <user>} as one word.
 *
 * <p>Score: the largest such share (0..1); spans: every qualifying word.
 */
public final class ReviewerRejectedTokenRule implements SpuriousFlagRule, Configurable {

  /** The {@link SpuriousFlag#getType()} this rule raises. */
  public static final String TYPE = "reviewer-rejected";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String MIN_MARKS_CONFIG = "candor.flag.reviewer.min.marks";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String MIN_SHARE_CONFIG = "candor.flag.reviewer.min.share";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String TOP_K_CONFIG = "candor.flag.reviewer.top.k";

  private volatile int minMarks;
  private volatile double minShare;
  private volatile int topK;
  private volatile ArtifactPatterns patterns;

  /** Creates the rule with the defaults (1 mark, share 0.2, top 1, built-in artifacts). */
  public ReviewerRejectedTokenRule() {
    this(1, 0.2, 1, List.of());
  }

  /**
   * Creates the rule.
   *
   * @param minMarks judgements needed before a word counts as rejected (at least 1)
   * @param minShare least share of positive evidence (0..1) on the word
   * @param topK the word must be among this many top words
   * @param extraArtifactPatterns regular expressions that also make one word (must match what the
   *     feedback store was built with)
   */
  public ReviewerRejectedTokenRule(
      int minMarks, double minShare, int topK, List<String> extraArtifactPatterns) {
    if (minMarks < 1 || topK < 1) {
      throw new IllegalArgumentException("minMarks and topK must be at least 1");
    }
    if (!(minShare >= 0 && minShare <= 1)) {
      throw new IllegalArgumentException("minShare must be between 0 and 1, got " + minShare);
    }
    this.minMarks = minMarks;
    this.minShare = minShare;
    this.topK = topK;
    this.patterns = new ArtifactPatterns(extraArtifactPatterns);
  }

  /**
   * Reads the reviewer keys and {@link ArtifactTokenRule#PATTERNS_CONFIG}.
   *
   * @param configs the app's config values
   */
  @Override
  public void configure(Map<String, ?> configs) {
    RuleConfig c = new RuleConfig(configs);
    this.minMarks =
        c.integer(ReviewerRejectedTokenRule.MIN_MARKS_CONFIG, minMarks, 1, Integer.MAX_VALUE);
    this.minShare = c.share(ReviewerRejectedTokenRule.MIN_SHARE_CONFIG, minShare);
    this.topK = c.integer(ReviewerRejectedTokenRule.TOP_K_CONFIG, topK, 1, 1000);
    List<String> extra = c.list(ArtifactTokenRule.PATTERNS_CONFIG, null);
    if (extra != null) {
      try {
        this.patterns = new ArtifactPatterns(extra);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ArtifactTokenRule.PATTERNS_CONFIG, extra, e.getMessage());
      }
    }
  }

  public int minMarks() {
    return minMarks;
  }

  /** {@inheritDoc} */
  @Override
  public List<SpuriousFlag> check(Explanation explanation, FlagContext context) {
    Evidence ev = Evidence.of(explanation, patterns);
    if (!ev.explainsPrediction() || !(ev.positiveTotal() > 0)) {
      return List.of();
    }
    double best = 0;
    int bestUnit = -1;
    List<CharSpan> spans = new ArrayList<>();
    List<String> words = new ArrayList<>();
    for (int i = 0; i < ev.units().size(); i++) {
      Evidence.Unit u = ev.units().get(i);
      double share = ev.share(u.attribution());
      if (!(share > 0) || share < minShare || ev.rank(u.attribution(), List.of(i)) >= topK) {
        continue; // cheap tests first: the store is only asked about top words
      }
      int marks = context.reviewerMarks(u.key());
      if (marks < minMarks) {
        continue;
      }
      spans.add(new CharSpan(u.start(), u.end()));
      words.add(
          String.format(
              Locale.ROOT, "%s (%d marks, %.0f%%)", Detail.quoted(u.text()), marks, 100 * share));
      if (share > best) {
        best = share;
        bestUnit = i;
      }
    }
    if (spans.isEmpty()) {
      return List.of();
    }
    String detail =
        Detail.topShare(
            "reviewer-rejected word", words, topK, explanation.prediction().label(), minShare);
    return List.of(new SpuriousFlag(TYPE, detail, best, ev.topToken(List.of(bestUnit)), spans));
  }
}
