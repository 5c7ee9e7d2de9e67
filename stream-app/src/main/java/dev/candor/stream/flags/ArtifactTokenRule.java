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
 * Flags a prediction whose evidence sits on artifacts rather than language: anonymisation
 * placeholders ({@code <user>}, {@code <number>}, {@code <percent>}), markup, HTML entities, URLs,
 * {@code @mentions} ({@link ArtifactPatterns}). It works on words: {@code <user>}, which the
 * tokenizer splits into {@code <}, {@code user}, {@code >}, is one artifact word whose attribution
 * is the sum of its three tokens'.
 *
 * <p>Fires when the artifact words' share of the positive word-level evidence for the predicted
 * label exceeds {@link ArtifactTokenRule#THRESHOLD_CONFIG}. Score: that share (0..1); spans: the
 * artifact words with positive attribution; token index: their strongest token.
 */
public final class ArtifactTokenRule implements SpuriousFlagRule, Configurable {

  /** The {@link SpuriousFlag#getType()} this rule raises. */
  public static final String TYPE = "artifact-tokens";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String THRESHOLD_CONFIG = "candor.flag.artifact.threshold";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String PATTERNS_CONFIG = "candor.flag.artifact.patterns";

  private volatile double threshold;
  private volatile ArtifactPatterns patterns;

  /** Creates the rule with the default threshold (0.5) and the built-in patterns. */
  public ArtifactTokenRule() {
    this(0.5, List.of());
  }

  /**
   * Creates the rule.
   *
   * @param threshold share of positive evidence (0..1) above which the rule fires
   * @param extraPatterns regular expressions that also count as artifacts
   */
  public ArtifactTokenRule(double threshold, List<String> extraPatterns) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1, got " + threshold);
    }
    this.threshold = threshold;
    this.patterns = new ArtifactPatterns(extraPatterns);
  }

  /**
   * Reads {@link ArtifactTokenRule#THRESHOLD_CONFIG} and {@link ArtifactTokenRule#PATTERNS_CONFIG}.
   *
   * @param configs the app's config values
   */
  @Override
  public void configure(Map<String, ?> configs) {
    RuleConfig c = new RuleConfig(configs);
    this.threshold = c.share(ArtifactTokenRule.THRESHOLD_CONFIG, threshold);
    List<String> extra = c.list(ArtifactTokenRule.PATTERNS_CONFIG, null);
    if (extra != null) {
      try {
        this.patterns = new ArtifactPatterns(extra);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ArtifactTokenRule.PATTERNS_CONFIG, extra, e.getMessage());
      }
    }
  }

  public double threshold() {
    return threshold;
  }

  /** {@inheritDoc} */
  @Override
  public List<SpuriousFlag> check(Explanation explanation, FlagContext context) {
    Evidence ev = Evidence.of(explanation, patterns);
    if (!ev.explainsPrediction() || !(ev.positiveTotal() > 0)) {
      return List.of();
    }
    double artifact = 0;
    List<Integer> involved = new ArrayList<>();
    for (int i = 0; i < ev.units().size(); i++) {
      Evidence.Unit u = ev.units().get(i);
      if (u.artifact() && u.positive() > 0) {
        artifact += u.positive();
        involved.add(i);
      }
    }
    double share = artifact / ev.positiveTotal();
    if (!(share > threshold)) {
      return List.of();
    }
    List<CharSpan> spans = new ArrayList<>();
    List<String> words = new ArrayList<>();
    for (int i : involved) {
      Evidence.Unit u = ev.units().get(i);
      spans.add(new CharSpan(u.start(), u.end()));
      words.add(u.text());
    }
    String detail =
        String.format(
            Locale.ROOT,
            "artifact %s %s carr%s %.0f%% of the positive evidence for '%s' (threshold %.0f%%)",
            words.size() == 1 ? "word" : "words",
            Detail.quoted(words),
            words.size() == 1 ? "ies" : "y",
            100 * share,
            explanation.prediction().label(),
            100 * threshold);
    return List.of(new SpuriousFlag(TYPE, detail, share, ev.topToken(involved), spans));
  }
}
