package dev.candor.evaluation.posthoc;

import dev.candor.evaluation.ProbabilityModel;
import dev.candor.model.CandorModel;
import dev.candor.model.explain.BatchClassifier;
import dev.candor.model.explain.Prediction;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * A model as a black box: softmax probabilities of token-id sequences (specials included, as
 * given), forward only, {@code batchSize} sequences per forward. Runs on the calling thread, which
 * should have grad mode off (see {@link dev.candor.model.ModelThread}).
 */
public final class ModelProbabilities implements ProbabilityModel {
  private final CandorModel model;
  private final BatchClassifier classifier;
  private final int batchSize;

  public ModelProbabilities(CandorModel model) {
    this(model, 64);
  }

  public ModelProbabilities(CandorModel model, int batchSize) {
    this.model = model;
    this.classifier = new BatchClassifier(model);
    this.batchSize = batchSize;
  }

  @Override
  public double[][] probabilities(List<int[]> tokenIdSequences) {
    List<long[]> ids = new ArrayList<>(tokenIdSequences.size());
    for (int[] s : tokenIdSequences) {
      long[] l = new long[s.length];
      for (int i = 0; i < s.length; i++) {
        l[i] = s[i];
      }
      ids.add(l);
    }
    return ofIds(ids);
  }

  /** Probabilities for sequences of token ids, in input order. */
  public double[][] ofIds(List<long[]> sequences) {
    return run(sequences, false);
  }

  /** Raw logits for sequences of token ids, in input order. */
  public double[][] logitsOfIds(List<long[]> sequences) {
    return run(sequences, true);
  }

  private double[][] run(List<long[]> sequences, boolean logits) {
    double[][] out = new double[sequences.size()][];
    for (int from = 0; from < sequences.size(); from += batchSize) {
      int to = Math.min(sequences.size(), from + batchSize);
      List<TokenizedText> chunk = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        chunk.add(idsOnly(sequences.get(i)));
      }
      List<Prediction> p = classifier.predict(PaddedBatch.of(chunk, model.tokenizer().padId()));
      for (int i = from; i < to; i++) {
        Prediction one = p.get(i - from);
        out[i] = logits ? one.logits() : one.probabilities();
      }
    }
    return out;
  }

  /** Only the ids matter to the forward pass; text, tokens and offsets are placeholders. */
  static TokenizedText idsOnly(long[] ids) {
    int n = ids.length;
    int[] none = new int[n];
    java.util.Arrays.fill(none, -1);
    return new TokenizedText(
        "", ids.clone(), new String[n], none, none, new boolean[n], none, false, 0);
  }
}
