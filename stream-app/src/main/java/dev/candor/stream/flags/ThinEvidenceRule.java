package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.flags.internals.Evidence;
import dev.candor.stream.flags.internals.RuleConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.Configurable;

/**
 * Flags a decision that rests on one sub-word piece or one punctuation token: the non-special token
 * with the largest attribution carries more than {@link ThinEvidenceRule#THRESHOLD_CONFIG} of the
 * positive token-level evidence for the predicted label, and it is either punctuation (no letter or
 * digit) or a piece of a longer word ({@code fu} of {@code fuera}, {@code ##lims} of {@code
 * muslims}) whose other pieces add no evidence (their sum is at most 0): the model reacts to the
 * fragment, not to the word. A word whose other pieces also support the label (a rare word the
 * tokenizer split, such as a slur) is evidence as a whole and is not flagged. Tokens inside
 * artifact words ({@code <} of {@code <user>}) are left to {@link ArtifactTokenRule}.
 *
 * <p>Score: that token's share (0..1); span and token index: that token.
 */
public final class ThinEvidenceRule implements SpuriousFlagRule, Configurable {

  /** The {@link SpuriousFlag#getType()} this rule raises. */
  public static final String TYPE = "thin-evidence";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String THRESHOLD_CONFIG = "candor.flag.thin.threshold";

  private volatile double threshold;

  /** Creates the rule with the default threshold (0.5). */
  public ThinEvidenceRule() {
    this(0.5);
  }

  /**
   * Creates the rule.
   *
   * @param threshold share of positive token evidence (0..1) above which the rule fires
   */
  public ThinEvidenceRule(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1, got " + threshold);
    }
    this.threshold = threshold;
  }

  /**
   * Reads {@link ThinEvidenceRule#THRESHOLD_CONFIG}.
   *
   * @param configs the app's config values
   */
  @Override
  public void configure(Map<String, ?> configs) {
    this.threshold = new RuleConfig(configs).share(ThinEvidenceRule.THRESHOLD_CONFIG, threshold);
  }

  public double threshold() {
    return threshold;
  }

  /** {@inheritDoc} */
  @Override
  public List<SpuriousFlag> check(Explanation explanation, FlagContext context) {
    Evidence ev = Evidence.of(explanation, ArtifactPatterns.defaults());
    if (!ev.explainsPrediction() || !(ev.tokenPositiveTotal() > 0)) {
      return List.of();
    }
    List<TokenAttribution> tokens = explanation.tokens();
    int top = -1;
    for (int i = 0; i < tokens.size(); i++) {
      TokenAttribution t = tokens.get(i);
      if (!t.special() && (top < 0 || t.attribution() > tokens.get(top).attribution())) {
        top = i;
      }
    }
    TokenAttribution t = tokens.get(top);
    double share = Math.max(0, t.attribution()) / ev.tokenPositiveTotal();
    if (!(share > threshold)) {
      return List.of();
    }
    Evidence.Unit word = null;
    for (Evidence.Unit u : ev.units()) {
      if (u.tokens().contains(top)) {
        word = u;
        break;
      }
    }
    if (word != null && word.artifact()) {
      return List.of();
    }
    boolean piece =
        word != null
            && word.tokens().size() > 1
            && word.attribution() - t.attribution() <= 0; // the rest of the word adds nothing
    boolean punctuation =
        !t.token().isEmpty() && t.token().codePoints().noneMatch(Character::isLetterOrDigit);
    if (!piece && !punctuation) {
      return List.of();
    }
    String what =
        piece
            ? "the fragment "
                + Detail.quoted(t.token())
                + " of "
                + Detail.quoted(word.text())
                + " (the rest of the word adds no evidence)"
            : "the punctuation " + Detail.quoted(t.token());
    String detail =
        String.format(
            Locale.ROOT,
            "the decision rests on %s: %.0f%% of the positive token evidence for '%s' (threshold"
                + " %.0f%%)",
            what,
            100 * share,
            explanation.prediction().label(),
            100 * threshold);
    List<CharSpan> spans =
        t.start() >= 0 && t.end() > t.start()
            ? List.of(new CharSpan(t.start(), t.end()))
            : List.of();
    return List.of(new SpuriousFlag(TYPE, detail, share, top, spans));
  }
}
