package dev.candor.evaluation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.evaluation.MaskingProtocol;
import dev.candor.model.DeviceChoice;
import dev.candor.model.explain.ExplanationTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationOptionsTest {

  @Test
  void shouldFillTheReportDefaults() {
    EvaluationOptions o =
        EvaluationOptions.builder()
            .setBundles(List.of(Path.of("m")))
            .setDataset(Path.of("d.jsonl"))
            .setExplainers(List.of("bcos"))
            .build();
    assertEquals(List.of(), o.sweepBundles());
    assertEquals(50, o.igSteps());
    assertEquals(10, o.shapleySamples());
    assertEquals(0, o.limit());
    assertEquals(13L, o.seed());
    assertEquals(MaskingProtocol.paperDeciles(), o.protocol());
    assertEquals(25, o.seqPgPairs());
    assertEquals(25, o.seqPgContent());
    assertEquals(0.5, o.seqPgConfidence());
    assertEquals(16, o.batchSize());
    assertEquals(DeviceChoice.AUTO, o.device());
    assertEquals(500, o.limeSamples());
    assertEquals(List.of(ExplanationTarget.LOGIT), o.targets());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            EvaluationOptions.builder()
                .setBundles(List.of(Path.of("m")))
                .setDataset(Path.of("d.jsonl"))
                .setExplainers(List.of("bcos"))
                .optTargets(List.of(ExplanationTarget.LOGIT, ExplanationTarget.LOGIT))
                .build());
  }

  @Test
  void shouldRefuseMissingOrOutOfRangeValuesInBuild() {
    IllegalArgumentException noBundles =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EvaluationOptions.builder()
                    .setDataset(Path.of("d"))
                    .setExplainers(List.of("ig"))
                    .build());
    assertTrue(noBundles.getMessage().contains("bundle"), noBundles.getMessage());
    IllegalArgumentException steps =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EvaluationOptions.builder()
                    .setBundles(List.of(Path.of("m")))
                    .setDataset(Path.of("d"))
                    .setExplainers(List.of("ig"))
                    .optIgSteps(0)
                    .build());
    assertTrue(steps.getMessage().contains("igSteps = 0"), steps.getMessage());
  }
}
