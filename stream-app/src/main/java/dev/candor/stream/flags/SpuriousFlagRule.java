package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.SpuriousFlag;
import java.util.ArrayList;
import java.util.List;

/**
 * A detector of explanations that rely on something they should not (identity words, [CLS]/[SEP]
 * mass, artifacts, tokens reviewers marked as irrelevant). A prediction with at least one flag also
 * goes to the flags topic, the review queue.
 *
 * <p>Rules are listed in the stream app's {@code candor.flag.rules}; a rule that also implements
 * {@link org.apache.kafka.common.Configurable} receives the app's config values (and should reject
 * invalid ones with a {@link org.apache.kafka.common.config.ConfigException}, so a bad value stops
 * the app at start). Rules are called on the stream thread for every explained batch, so they must
 * be cheap and thread-safe; a rule that throws is logged and skipped for that text.
 */
@FunctionalInterface
public interface SpuriousFlagRule {

  /**
   * Checks one explanation.
   *
   * @param explanation the explained text, with tokens and attributions
   * @param context the model and the reviewers' marks, for rules that need them
   * @return the flags raised, empty if none; never {@code null}
   */
  List<SpuriousFlag> check(Explanation explanation, FlagContext context);

  /**
   * Checks a micro-batch; a rule that re-runs the model overrides this to batch its re-runs.
   *
   * @param batch the explanations of one batch, all made by the same model version
   * @param context the model and the reviewers' marks
   * @return one list of flags per explanation, in order
   */
  default List<List<SpuriousFlag>> checkBatch(List<Explanation> batch, FlagContext context) {
    List<List<SpuriousFlag>> out = new ArrayList<>(batch.size());
    for (Explanation e : batch) {
      out.add(check(e, context));
    }
    return out;
  }
}
