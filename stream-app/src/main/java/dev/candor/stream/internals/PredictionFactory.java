package dev.candor.stream.internals;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.TokenAttribution;
import dev.candor.schemas.avro.WordAttribution;
import dev.candor.stream.flags.SpuriousFlagRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a model {@link Explanation} into the wire {@link ExplainedPrediction}, running the flag
 * rules.
 */
public final class PredictionFactory {

  private static final Logger LOG = LoggerFactory.getLogger(PredictionFactory.class);

  private final List<SpuriousFlagRule> rules;

  public PredictionFactory(List<SpuriousFlagRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Builds the prediction.
   *
   * @param t the buffered text
   * @param e its explanation
   * @param modelVersion the version of the model that explained it
   * @param nowMs wall-clock time now, for the latency
   * @return the prediction with its flags
   */
  public ExplainedPrediction create(
      BufferedText t, Explanation e, String modelVersion, long nowMs) {
    Prediction p = e.prediction();
    List<TokenAttribution> tokens = new ArrayList<>(e.tokens().size());
    for (var a : e.tokens()) {
      tokens.add(new TokenAttribution(a.token(), a.start(), a.end(), a.special(), a.attribution()));
    }
    List<WordAttribution> words = new ArrayList<>(e.words().size());
    for (var w : e.words()) {
      words.add(new WordAttribution(w.word(), w.start(), w.end(), w.attribution()));
    }
    return ExplainedPrediction.newBuilder()
        .setId(t.id())
        .setModelVersion(modelVersion)
        .setLabel(p.label())
        .setLabelIndex(p.predicted())
        .setLabels(List.copyOf(p.labels()))
        .setScores(toList(p.probabilities()))
        .setLogits(toList(p.logits()))
        .setExplainedLabelIndex(e.explained())
        .setTokens(tokens)
        .setWords(words)
        .setCompletenessResidual(e.residual())
        .setTruncated(p.truncated())
        .setFlags(flags(t, e))
        .setLatencyMs(Math.max(0, nowMs - t.submittedAtMs()))
        .setSubmittedAtMs(t.submittedAtMs())
        .setTextSha256(sha256(t.text()))
        .build();
  }

  private List<SpuriousFlag> flags(BufferedText t, Explanation e) {
    List<SpuriousFlag> out = new ArrayList<>();
    for (SpuriousFlagRule rule : rules) {
      try {
        out.addAll(rule.check(e));
      } catch (RuntimeException ex) {
        // A broken detector must not cost the prediction itself.
        LOG.warn("Flag rule {} failed on text {}; skipped", rule.getClass().getName(), t.id(), ex);
      }
    }
    return out;
  }

  private static List<Double> toList(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double d : v) {
      out.add(d);
    }
    return out;
  }

  static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
