package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.SpuriousFlag;
import java.util.List;

/**
 * A detector of explanations that rely on something they should not (identity words, [CLS]/[SEP]
 * mass, tokens reviewers marked as irrelevant). A prediction with at least one flag also goes to
 * the flags topic, the review queue.
 *
 * <p>Rules are listed in the stream app's {@code candor.flag.rules}; a rule that also implements
 * {@link org.apache.kafka.common.Configurable} receives the app's config values. Rules are called
 * on the stream thread for every explained text, so they must be cheap and thread-safe; a rule that
 * throws is logged and skipped for that text.
 */
@FunctionalInterface
public interface SpuriousFlagRule {

  /**
   * Checks one explanation.
   *
   * @param explanation the explained text, with tokens and attributions
   * @return the flags raised, empty if none; never {@code null}
   */
  List<SpuriousFlag> check(Explanation explanation);
}
