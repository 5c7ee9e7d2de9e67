package dev.candor.stream.flags;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.SpuriousFlag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured {@link SpuriousFlagRule}s over one micro-batch of explanations, the way the
 * stream does (and the way {@code candor bench flags} measures them).
 *
 * <p>Each rule gets the whole batch ({@link SpuriousFlagRule#checkBatch}); if it throws, it is
 * retried text by text and a text it still fails on simply gets no flag from it, so a broken
 * detector never costs a prediction. Meters: {@code candor.flag.rule.latency{rule}}, {@code
 * candor.flag.rule.texts{rule}} and {@code candor.flag.rule.failures{rule}}.
 */
public final class FlagEvaluator {

  private static final Logger LOG = LoggerFactory.getLogger(FlagEvaluator.class);

  private final List<SpuriousFlagRule> rules;
  private final MeterRegistry registry;

  /**
   * Creates the evaluator.
   *
   * @param rules the rules, run in order
   * @param registry where the rule meters go
   */
  public FlagEvaluator(List<SpuriousFlagRule> rules, MeterRegistry registry) {
    this.rules = List.copyOf(rules);
    this.registry = Objects.requireNonNull(registry, "registry cannot be null");
  }

  /** The rules, in order. */
  public List<SpuriousFlagRule> rules() {
    return rules;
  }

  /**
   * Flags a batch.
   *
   * @param batch explanations made by one model version
   * @param context the model and the reviewer marks
   * @return one list of flags per explanation, in order (rule order within a list)
   */
  public List<List<SpuriousFlag>> flags(List<Explanation> batch, FlagContext context) {
    List<List<SpuriousFlag>> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(new ArrayList<>());
    }
    if (batch.isEmpty()) {
      return out;
    }
    for (SpuriousFlagRule rule : rules) {
      String name = rule.getClass().getSimpleName();
      long t0 = System.nanoTime();
      List<List<SpuriousFlag>> found;
      boolean failed = false;
      try {
        found = rule.checkBatch(batch, context);
        if (found.size() != batch.size()) {
          throw new IllegalStateException(
              found.size() + " flag lists for a batch of " + batch.size());
        }
      } catch (RuntimeException e) {
        failed = true;
        LOG.warn("Flag rule {} failed on a batch of {}; retrying per text", name, batch.size(), e);
        found = perText(rule, batch, context);
      }
      record(name, batch.size(), System.nanoTime() - t0, failed);
      for (int i = 0; i < batch.size(); i++) {
        out.get(i).addAll(found.get(i));
      }
    }
    return out;
  }

  private void record(String rule, int texts, long nanos, boolean failed) {
    Timer.builder("candor.flag.rule.latency")
        .description(
            "Wall time each detector takes per micro-batch (counterfactual re-runs included)")
        .tag("rule", rule)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    Counter.builder("candor.flag.rule.texts")
        .description("Texts each detector checked")
        .tag("rule", rule)
        .register(registry)
        .increment(texts);
    if (failed) {
      Counter.builder("candor.flag.rule.failures")
          .description("Micro-batches on which a detector threw (it is then retried per text)")
          .tag("rule", rule)
          .register(registry)
          .increment();
    }
  }

  private static List<List<SpuriousFlag>> perText(
      SpuriousFlagRule rule, List<Explanation> batch, FlagContext context) {
    List<List<SpuriousFlag>> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      try {
        out.add(List.copyOf(rule.check(batch.get(i), context)));
      } catch (RuntimeException e) {
        LOG.warn(
            "Flag rule {} failed on text {} of its batch; skipped",
            rule.getClass().getName(),
            i,
            e);
        out.add(List.of());
      }
    }
    return out;
  }
}
