package dev.candor.stream;

import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.model.explain.WordAttribution;
import dev.candor.stream.serving.BatchModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A model without weights: one token per whitespace word, fixed attributions ([CLS] gets {@code
 * clsAttribution}, every word 0.1), and a failure whenever a batch contains a text the {@code
 * poison} predicate matches, or on every call while {@link #broken} is set.
 */
class FakeModel implements BatchModel {

  final AtomicInteger batches = new AtomicInteger();
  final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
  volatile boolean closed;

  /** When set, every call throws it (an Error or a RuntimeException): a broken model. */
  volatile Throwable broken;

  private final String version;
  private final double clsAttribution;
  private final Predicate<String> poison;

  FakeModel(String version, double clsAttribution, Predicate<String> poison) {
    this.version = version;
    this.clsAttribution = clsAttribution;
    this.poison = poison;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String manifestSha256() {
    return "";
  }

  @Override
  public List<Explanation> explain(List<String> texts) {
    batches.incrementAndGet();
    batchSizes.add(texts.size());
    Throwable b = broken;
    if (b instanceof Error e) {
      throw e;
    }
    if (b instanceof RuntimeException r) {
      throw r;
    }
    List<Explanation> out = new ArrayList<>();
    for (String text : texts) {
      if (poison.test(text)) {
        throw new IllegalStateException("fake model failure on '" + text + "'");
      }
      List<TokenAttribution> tokens = new ArrayList<>();
      List<WordAttribution> words = new ArrayList<>();
      tokens.add(new TokenAttribution("[CLS]", -1, -1, true, clsAttribution));
      int pos = 0;
      double sum = clsAttribution;
      for (String w : text.trim().split("\\s+")) {
        int start = text.indexOf(w, pos);
        pos = start + w.length();
        tokens.add(new TokenAttribution(w, start, pos, false, 0.1));
        words.add(new WordAttribution(w, start, pos, 0.1));
        sum += 0.1;
      }
      tokens.add(new TokenAttribution("[SEP]", -1, -1, true, 0.0));
      double[] logits = {0.0, sum};
      double p1 = 1 / (1 + Math.exp(-sum));
      Prediction p =
          new Prediction(
              List.of("normal", "toxic"), logits, new double[] {1 - p1, p1}, 1, false, version);
      out.add(new Explanation(text, p, 1, tokens, words, 0.0, 0));
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
  }
}
