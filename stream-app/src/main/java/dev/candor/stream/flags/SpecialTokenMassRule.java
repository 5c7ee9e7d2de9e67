package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.schemas.avro.SpuriousFlag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Flags a prediction when the special tokens ([CLS], [SEP]) carry more than a threshold share of
 * the total absolute attribution: such a decision is driven by position/bias terms rather than by
 * the words of the text. The flag's score is that share (0..1) and its token index points at the
 * special token with the largest absolute attribution.
 */
public final class SpecialTokenMassRule implements SpuriousFlagRule, Configurable {

  /** The {@link SpuriousFlag#getType()} this rule raises. */
  public static final String TYPE = "special-token-mass";

  /**
   * The config key of the threshold. Declared here, beside the rule that reads it, so that rules
   * need nothing from the app that runs them; the app's config definition refers to it.
   */
  public static final String THRESHOLD_CONFIG = "candor.flag.special.token.threshold";

  private volatile double threshold;

  /** Creates the rule with the default threshold; {@link #configure} may change it. */
  public SpecialTokenMassRule() {
    this(0.5);
  }

  /**
   * Creates the rule.
   *
   * @param threshold share of absolute attribution (0..1) above which the rule fires
   */
  public SpecialTokenMassRule(double threshold) {
    this.threshold = checked(threshold);
  }

  /**
   * Reads {@link #THRESHOLD_CONFIG} if present.
   *
   * @param configs the app's config values
   */
  @Override
  public void configure(Map<String, ?> configs) {
    Object v = configs.get(THRESHOLD_CONFIG);
    if (v != null) {
      double t = (Double) ConfigDef.parseType(THRESHOLD_CONFIG, v, ConfigDef.Type.DOUBLE);
      if (t < 0 || t > 1) {
        throw new ConfigException(THRESHOLD_CONFIG, v, "must be between 0 and 1");
      }
      this.threshold = t;
    }
  }

  public double threshold() {
    return threshold;
  }

  /** {@inheritDoc} */
  @Override
  public List<SpuriousFlag> check(Explanation explanation, FlagContext context) {
    double share = explanation.specialTokenShare();
    if (!(share > threshold)) {
      return List.of();
    }
    List<TokenAttribution> tokens = explanation.tokens();
    int top = -1;
    for (int i = 0; i < tokens.size(); i++) {
      TokenAttribution t = tokens.get(i);
      if (t.special()
          && (top < 0 || Math.abs(t.attribution()) > Math.abs(tokens.get(top).attribution()))) {
        top = i;
      }
    }
    String detail =
        String.format(
            Locale.ROOT,
            "special tokens carry %.1f%% of |attribution| (threshold %.1f%%)%s",
            100 * share,
            100 * threshold,
            top < 0 ? "" : "; largest on " + tokens.get(top).token() + " at index " + top);
    return List.of(new SpuriousFlag(TYPE, detail, share, top, List.of()));
  }

  private static double checked(double t) {
    if (!(t >= 0 && t <= 1)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1, got " + t);
    }
    return t;
  }
}
