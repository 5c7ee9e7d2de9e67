package dev.candor.stream.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.SpuriousFlag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagEvaluatorTest {

  private static final SpuriousFlag FLAG = new SpuriousFlag("fake", "d", 1.0, -1, List.of());

  /** Fails on whole batches and on texts containing "bad"; flags every other text. */
  private static final class Fragile implements SpuriousFlagRule {
    @Override
    public List<SpuriousFlag> check(Explanation e, FlagContext context) {
      if (e.text().contains("bad")) {
        throw new IllegalStateException("bad text");
      }
      return List.of(FLAG);
    }

    @Override
    public List<List<SpuriousFlag>> checkBatch(List<Explanation> batch, FlagContext context) {
      throw new IllegalStateException("batch failure");
    }
  }

  @Test
  void shouldRetryAFailingRuleTextByTextAndKeepTheOtherRules() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagEvaluator evaluator =
        new FlagEvaluator(List.of(new Fragile(), new SpecialTokenMassRule(0.0)), registry);
    List<Explanation> batch =
        List.of(
            Explanations.of("good", "toxic", 0.9, 1.0, "good", 0.1),
            Explanations.of("bad", "toxic", 0.9, 1.0, "bad", 0.1));

    List<List<SpuriousFlag>> flags = evaluator.flags(batch, FlagContext.none());

    assertEquals(List.of("fake", SpecialTokenMassRule.TYPE), types(flags.get(0)));
    assertEquals(List.of(SpecialTokenMassRule.TYPE), types(flags.get(1)));
    assertEquals(
        1.0, registry.get("candor.flag.rule.failures").tag("rule", "Fragile").counter().count());
    assertEquals(
        2.0,
        registry
            .get("candor.flag.rule.texts")
            .tag("rule", "SpecialTokenMassRule")
            .counter()
            .count());
    assertEquals(
        1, registry.get("candor.flag.rule.latency").tag("rule", "Fragile").timer().count());
  }

  @Test
  void shouldReturnNothingForAnEmptyBatch() {
    assertEquals(
        List.of(),
        new FlagEvaluator(List.of(new Fragile()), new SimpleMeterRegistry())
            .flags(List.of(), FlagContext.none()));
  }

  private static List<String> types(List<SpuriousFlag> flags) {
    return flags.stream().map(SpuriousFlag::getType).toList();
  }
}
