package dev.candor.schemas;

import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.ModelUpdate;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.TextSubmitted;
import dev.candor.schemas.avro.TokenAttribution;
import dev.candor.schemas.avro.WordAttribution;
import java.util.List;
import java.util.Map;

/** One fully populated instance of each record type, for round-trip tests. */
final class Samples {

  private Samples() {}

  static TextSubmitted text() {
    return TextSubmitted.newBuilder()
        .setId("t-1")
        .setText("Ünïcode text with emoji \uD83D\uDE00")
        .setSubmittedAtMs(1_700_000_000_123L)
        .setSource("unit-test")
        .build();
  }

  static TokenAttribution cls() {
    return new TokenAttribution("[CLS]", -1, -1, true, 0.25);
  }

  static TokenAttribution hello() {
    return new TokenAttribution("hello", 0, 5, false, 1.5);
  }

  static WordAttribution word() {
    return new WordAttribution("hello", 0, 5, 1.5);
  }

  static SpuriousFlag flag() {
    return new SpuriousFlag(
        "special-token-mass", "[CLS] carries 40% of |attribution|", 0.4, 0, List.of());
  }

  static ExplainedPrediction prediction() {
    return ExplainedPrediction.newBuilder()
        .setId("t-1")
        .setModelVersion("minilm-bcos-2024-01-01")
        .setLabel("toxic")
        .setLabelIndex(1)
        .setLabels(List.of("normal", "toxic"))
        .setScores(List.of(0.2, 0.8))
        .setLogits(List.of(-0.7, 0.7))
        .setExplainedLabelIndex(1)
        .setTokens(List.of(cls(), hello()))
        .setWords(List.of(word()))
        .setCompletenessResidual(1e-7)
        .setTruncated(false)
        .setFlags(List.of(flag()))
        .setLatencyMs(42)
        .setSubmittedAtMs(1_700_000_000_123L)
        .setTextSha256("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        .build();
  }

  static Feedback feedback() {
    return Feedback.newBuilder()
        .setId("t-1")
        .setReviewer("alice")
        .setLabel("normal")
        .setSpuriousTokens(List.of("gay", "muslim"))
        .setRationale("identity term, not an insult")
        .setCreatedAtMs(1_700_000_100_000L)
        .build();
  }

  static ModelUpdate modelUpdate() {
    return ModelUpdate.newBuilder()
        .setModelName("candor-minilm")
        .setVersion("v7")
        .setUri("file:///var/candor/models/v7")
        .setSha256("ab".repeat(32))
        .setMetrics(Map.of("accuracy", 0.81, "comp", 0.42, "bnsp_auc", 0.77))
        .setCreatedAtMs(1_700_000_200_000L)
        .build();
  }
}
