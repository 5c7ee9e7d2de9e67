package dev.candor.stream.internals;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.TokenAttribution;
import dev.candor.schemas.avro.WordAttribution;
import dev.candor.stream.flags.FlagContext;
import dev.candor.stream.flags.FlagEvaluator;
import dev.candor.stream.flags.SpuriousFlagRule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns model {@link Explanation}s into wire {@link ExplainedPrediction}s, running the flag rules
 * over the whole micro-batch ({@link FlagEvaluator}). Every prediction carries its text; the
 * topology removes it from the predictions topic unless configured otherwise.
 */
public final class PredictionFactory {

  private final FlagEvaluator flags;

  /**
   * Creates a factory whose rule meters go to a private registry.
   *
   * @param rules the flag rules
   */
  public PredictionFactory(List<SpuriousFlagRule> rules) {
    this(rules, new SimpleMeterRegistry());
  }

  /**
   * Creates the factory.
   *
   * @param rules the flag rules
   * @param registry where the per-rule meters go
   */
  public PredictionFactory(List<SpuriousFlagRule> rules, MeterRegistry registry) {
    this.flags = new FlagEvaluator(rules, registry);
  }

  /**
   * Builds the predictions of one micro-batch.
   *
   * @param texts the buffered texts
   * @param explanations their explanations, in order, all by {@code modelVersion}
   * @param modelVersion the version of the model that explained them
   * @param nowMs wall-clock time now, for the latency
   * @param context what the rules may use (the model, the reviewer marks)
   * @return one prediction per text, with its flags and text
   */
  public List<ExplainedPrediction> createAll(
      List<BufferedText> texts,
      List<Explanation> explanations,
      String modelVersion,
      long nowMs,
      FlagContext context) {
    List<List<SpuriousFlag>> found = flags.flags(explanations, context);
    List<ExplainedPrediction> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(create(texts.get(i), explanations.get(i), modelVersion, nowMs, found.get(i)));
    }
    return out;
  }

  /**
   * Builds one prediction with rules that need no model or marks (tests and tools).
   *
   * @param t the buffered text
   * @param e its explanation
   * @param modelVersion the version of the model that explained it
   * @param nowMs wall-clock time now, for the latency
   * @return the prediction with its flags
   */
  public ExplainedPrediction create(
      BufferedText t, Explanation e, String modelVersion, long nowMs) {
    return createAll(List.of(t), List.of(e), modelVersion, nowMs, FlagContext.none()).get(0);
  }

  private static ExplainedPrediction create(
      BufferedText t, Explanation e, String modelVersion, long nowMs, List<SpuriousFlag> flags) {
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
        .setExplanationTarget(e.target().id())
        .setTruncated(p.truncated())
        .setFlags(flags)
        .setLatencyMs(Math.max(0, nowMs - t.submittedAtMs()))
        .setSubmittedAtMs(t.submittedAtMs())
        .setTextSha256(sha256(t.text()))
        .setText(t.text())
        .build();
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
