package dev.candor.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

  private static ReportRow.Builder bcos(String model, String explainer) {
    return ReportRow.builder(model, explainer).modelKind(true, 1.5).accuracy(0.79);
  }

  private static ReportRow.Builder conv(String explainer) {
    return ReportRow.builder("conv", explainer).modelKind(false, 0).accuracy(0.81);
  }

  @Test
  void allThreeMetFromTheRows() {
    List<String> lines =
        Targets.lines(
            List.of(
                bcos("bc", "bcos").comp(0.70).explainMsPerText(2.0).build(),
                bcos("bc", "ig").explainerSteps(50).comp(0.5).explainMsPerText(50.0).build(),
                conv("ig").explainerSteps(50).comp(0.55).explainMsPerText(30.0).build(),
                conv("occlusion-pad").comp(0.60).explainMsPerText(10.0).build(),
                conv("occlusion").comp(0.75).explainMsPerText(10.0).build(),
                conv("random").comp(0.80).build()));
    assertEquals(4, lines.size(), lines.toString());
    // (a) against the best post-hoc Comp on the conventional model (occlusion-pad 0.60), not ig,
    // and neither the metric-aligned occlusion nor the random floor
    assertTrue(
        lines
            .get(0)
            .endsWith("bc `bcos` 0.700 vs conv `occlusion-pad` 0.600 = +10.00 points — met."),
        lines.get(0));
    // (a′) the metric-aligned occlusion, reported separately
    assertTrue(
        lines.get(1).endsWith("bc `bcos` 0.700 vs conv `occlusion` 0.750 = -5.00 points — missed."),
        lines.get(1));
    // (b) IG on the same model first: 50 / 2 = 25×
    assertTrue(
        lines.get(2).endsWith("bc `ig` (50 steps) 50.0 ms vs bc `bcos` 2.0 ms = 25.0× — met."),
        lines.get(2));
    assertTrue(lines.get(3).endsWith("bc 0.790 vs conv 0.810 = -2.0 points — met."), lines.get(3));
  }

  @Test
  void eachExplanationTargetOfTheBcosModelGetsItsOwnComparison() {
    List<String> lines =
        Targets.lines(
            List.of(
                bcos("bc", "bcos").target("logit").comp(0.50).explainMsPerText(2.0).build(),
                bcos("bc", "bcos").target("relative").comp(0.60).explainMsPerText(2.0).build(),
                conv("lime").target("probability").comp(0.55).build()));
    assertTrue(lines.get(0).endsWith("= -5.00 points — missed."), lines.get(0));
    assertTrue(
        lines
            .get(1)
            .endsWith("bc `bcos`/relative 0.600 vs conv `lime` 0.550 = +5.00 points — met."),
        lines.get(1));
  }

  @Test
  void sweepModelsAreNotCandidatesForTheTargets() {
    List<String> lines =
        Targets.lines(
            List.of(
                bcos("bc", "bcos").comp(0.70).explainMsPerText(2.0).build(),
                bcos("sweep", "bcos").sweep(true).comp(0.10).explainMsPerText(2.0).build(),
                conv("ig").explainerSteps(50).comp(0.55).explainMsPerText(30.0).build()));
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("sweep")), lines.toString());
  }

  @Test
  void missedWhenTheNumbersFallShort() {
    List<String> lines =
        Targets.lines(
            List.of(
                bcos("bc", "bcos").accuracy(0.70).comp(0.40).explainMsPerText(2.0).build(),
                conv("ig").explainerSteps(50).comp(0.55).explainMsPerText(30.0).build()));
    assertTrue(lines.get(0).endsWith("= -15.00 points — missed."), lines.get(0));
    // no IG on the B-cos model: the conventional model's, 30 / 2 = 15×
    assertTrue(
        lines.get(1).endsWith("conv `ig` (50 steps) 30.0 ms vs bc `bcos` 2.0 ms = 15.0× — missed."),
        lines.get(1));
    assertTrue(
        lines.get(2).endsWith("bc 0.700 vs conv 0.810 = -11.0 points — missed."), lines.get(2));
  }

  @Test
  void notMeasuredWhenRowsAreAbsent() {
    List<String> lines =
        Targets.lines(
            List.of(
                bcos("bc", "bcos").comp(0.7).explainMsPerText(2.0).build(),
                bcos("bc", "ig").explainerSteps(4).explainMsPerText(5.0).build()));
    assertTrue(
        lines
            .get(0)
            .endsWith("not measured (no post-hoc explainer with Comp on a conventional model)."),
        lines.get(0));
    assertTrue(lines.get(1).endsWith("not measured (IG ran with 4 steps, not 50)."), lines.get(1));
    assertTrue(lines.get(2).endsWith("not measured (no conventional model)."), lines.get(2));
    List<String> none = Targets.lines(List.of(conv("ig").comp(0.5).build()));
    assertEquals(3, none.size());
    none.forEach(l -> assertTrue(l.endsWith("not measured (no B-cos model)."), l));
    assertTrue(
        Targets.lines(
                List.of(bcos("bc", "saliency").comp(0.1).build(), conv("ig").comp(0.5).build()))
            .get(1)
            .endsWith("bc not measured (no `bcos` row with a time per text)."));
  }

  @Test
  void oneLinePerBcosModelAndTarget() {
    List<String> lines =
        Targets.lines(
            List.of(
                bcos("b1", "bcos").comp(0.7).build(),
                bcos("b2", "bcos").comp(0.5).build(),
                conv("saliency").comp(0.6).build()));
    assertEquals(6, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("b1 `bcos`") && lines.get(0).endsWith("met."), lines.get(0));
    assertTrue(
        lines.get(1).contains("b2 `bcos`") && lines.get(1).endsWith("missed."), lines.get(1));
    String md = Targets.markdown(List.of(bcos("b1", "bcos").comp(0.7).build()));
    assertTrue(md.startsWith("## Targets\n"), md);
    assertEquals(3, md.lines().filter(l -> l.startsWith("- (")).count(), md);
  }
}
