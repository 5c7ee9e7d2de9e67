package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.flags.internals.Evidence;
import dev.candor.stream.flags.internals.RuleConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigException;

/**
 * Flags a toxic prediction (any label not in {@link IdentityTermRule#BENIGN_LABELS_CONFIG}) whose
 * top evidence is an identity term ({@link IdentityLexicon}): the term's share of the positive
 * word-level evidence is at least {@link IdentityTermRule#MIN_SHARE_CONFIG} and fewer than {@link
 * IdentityTermRule#TOP_K_CONFIG} other words carry more. Naming a group is not toxic in itself, so
 * a verdict resting on the name is suspect.
 *
 * <p>Score: the largest such share (0..1); spans: every qualifying term (a multi-word term is one
 * span); token index: the strongest token of the strongest term.
 */
public final class IdentityTermRule implements SpuriousFlagRule, Configurable {

  /** The {@link SpuriousFlag#getType()} this rule raises. */
  public static final String TYPE = "identity-term";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String LEXICON_CONFIG = "candor.flag.identity.lexicon";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String MIN_SHARE_CONFIG = "candor.flag.identity.min.share";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String TOP_K_CONFIG = "candor.flag.identity.top.k";

  /**
   * Config key read by {@link #configure} (declared here so that rules need nothing from the app).
   */
  public static final String BENIGN_LABELS_CONFIG = "candor.flag.benign.labels";

  private volatile double minShare;
  private volatile int topK;
  private volatile Set<String> benignLabels;
  private volatile IdentityLexicon lexicon;

  /**
   * Creates the rule with the defaults (share 0.2, top 1, benign label "normal", bundled terms).
   */
  public IdentityTermRule() {
    this(IdentityLexicon.bundled(), 0.2, 1, Set.of("normal"));
  }

  /**
   * Creates the rule.
   *
   * @param lexicon the identity terms
   * @param minShare least share of positive evidence (0..1) on the term
   * @param topK the term must be among this many top words
   * @param benignLabels labels that are not toxic verdicts
   */
  public IdentityTermRule(
      IdentityLexicon lexicon, double minShare, int topK, Set<String> benignLabels) {
    if (!(minShare >= 0 && minShare <= 1)) {
      throw new IllegalArgumentException("minShare must be between 0 and 1, got " + minShare);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK);
    }
    this.lexicon = java.util.Objects.requireNonNull(lexicon, "lexicon cannot be null");
    this.minShare = minShare;
    this.topK = topK;
    this.benignLabels = Set.copyOf(benignLabels);
  }

  /**
   * Reads this rule's keys.
   *
   * @param configs the app's config values
   */
  @Override
  public void configure(Map<String, ?> configs) {
    RuleConfig c = new RuleConfig(configs);
    this.minShare = c.share(IdentityTermRule.MIN_SHARE_CONFIG, minShare);
    this.topK = c.integer(IdentityTermRule.TOP_K_CONFIG, topK, 1, 1000);
    this.benignLabels =
        Set.copyOf(c.list(IdentityTermRule.BENIGN_LABELS_CONFIG, List.copyOf(benignLabels)));
    this.lexicon = lexicon(c);
  }

  /**
   * The lexicon {@link IdentityTermRule#LEXICON_CONFIG} names, or the bundled one.
   *
   * @param c the config
   * @return the lexicon
   * @throws ConfigException if the file cannot be read or parsed
   */
  static IdentityLexicon lexicon(RuleConfig c) {
    String path = c.string(IdentityTermRule.LEXICON_CONFIG, "");
    if (path.isBlank()) {
      return IdentityLexicon.bundled();
    }
    try {
      return IdentityLexicon.read(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          IdentityTermRule.LEXICON_CONFIG,
          path,
          "cannot read the identity lexicon: " + e.getMessage());
    }
  }

  public double minShare() {
    return minShare;
  }

  public int topK() {
    return topK;
  }

  public IdentityLexicon lexicon() {
    return lexicon;
  }

  /** {@inheritDoc} */
  @Override
  public List<SpuriousFlag> check(Explanation explanation, FlagContext context) {
    if (benignLabels.contains(explanation.prediction().label())) {
      return List.of();
    }
    Evidence ev = Evidence.of(explanation, ArtifactPatterns.defaults());
    if (!ev.explainsPrediction() || !(ev.positiveTotal() > 0)) {
      return List.of();
    }
    double best = 0;
    List<Integer> bestUnits = List.of();
    List<CharSpan> spans = new ArrayList<>();
    List<String> terms = new ArrayList<>();
    for (IdentityLexicon.Match m : lexicon.find(ev)) {
      List<Integer> units = new ArrayList<>();
      double attribution = 0;
      for (int i = m.firstUnit(); i <= m.lastUnit(); i++) {
        units.add(i);
        attribution += ev.units().get(i).attribution();
      }
      double share = ev.share(attribution);
      if (share > 0 && share >= minShare && ev.rank(attribution, units) < topK) {
        int start = ev.units().get(m.firstUnit()).start();
        int end = ev.units().get(m.lastUnit()).end();
        spans.add(new CharSpan(start, end));
        terms.add(
            String.format(
                Locale.ROOT,
                "%s (%s, %.0f%%)",
                Detail.quoted(explanation.text().substring(start, end)),
                m.entry().category(),
                100 * share));
        if (share > best) {
          best = share;
          bestUnits = units;
        }
      }
    }
    if (spans.isEmpty()) {
      return List.of();
    }
    String detail =
        Detail.topShare("identity term", terms, topK, explanation.prediction().label(), minShare);
    return List.of(new SpuriousFlag(TYPE, detail, best, ev.topToken(bestUnits), spans));
  }
}
