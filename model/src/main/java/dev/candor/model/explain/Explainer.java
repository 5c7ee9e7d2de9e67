package dev.candor.model.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.candor.model.CandorModel;
import dev.candor.model.ModelThread;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.SubBatchPlanner;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies texts and explains them exactly: input × gradient of the explained class's raw logit
 * (or, with {@link ExplanationTarget#RELATIVE}, of that logit minus the mean of the others) at the
 * post-LayerNorm embeddings, in explanation mode (dynamic factors detached), summed over the hidden
 * dimension.
 *
 * <p>All work runs on one {@link ModelThread} owned by this object (one gradient collector per
 * process; failures reach the caller as they were thrown); every batch gets its own {@link NDScope}
 * so native memory is freed after it.
 */
public final class Explainer implements AutoCloseable {
  /** Relative completeness residual above which a warning is logged (float32 tolerance). */
  public static final double COMPLETENESS_TOLERANCE = 1e-3;

  private static final Logger LOG = LoggerFactory.getLogger(Explainer.class);

  private final CandorModel model;
  private final BatchClassifier classifier;
  private final ModelThread worker;
  private final ExplanationTarget target;
  private final AtomicLong completenessViolations = new AtomicLong();
  private final SubBatchPlanner planner;
  private final int maxBatchSize;

  /** Explains raw logits ({@link ExplanationTarget#LOGIT}), each call's texts as one batch. */
  public Explainer(CandorModel model) {
    this(model, ExplanationTarget.LOGIT);
  }

  /** Explains {@code target}, each call's texts padded as one batch (no sub-batching). */
  public Explainer(CandorModel model, ExplanationTarget target) {
    this(model, target, SubBatchPlanner.off(), Integer.MAX_VALUE);
  }

  /** Explains raw logits with sub-batching (see the four-argument constructor). */
  public Explainer(CandorModel model, SubBatchPlanner planner, int maxBatchSize) {
    this(model, ExplanationTarget.LOGIT, planner, maxBatchSize);
  }

  /**
   * An explainer of {@code target} that lets {@code planner} split the texts of each {@link
   * #explain(List)} / {@link #predict(List)} call into length-sorted sub-batches of at most {@code
   * maxBatchSize} texts. Results come back in input order and do not depend on the plan beyond
   * float rounding; the {@code *Tokenized} methods always run their texts as one padded batch.
   *
   * @param model the model
   * @param target what the explanations decompose
   * @param planner decides the sub-batches ({@link SubBatchPlanner#off()}: input order, chunks of
   *     {@code maxBatchSize})
   * @param maxBatchSize the most texts in one padded batch
   */
  public Explainer(
      CandorModel model, ExplanationTarget target, SubBatchPlanner planner, int maxBatchSize) {
    if (target == null) {
      throw new IllegalArgumentException("target cannot be null");
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1");
    }
    this.model = model;
    this.target = target;
    this.classifier = new BatchClassifier(model);
    this.worker = new ModelThread("candor-explainer");
    this.planner = planner;
    this.maxBatchSize = maxBatchSize;
  }

  /** How this explainer splits batches. */
  public SubBatchPlanner planner() {
    return planner;
  }

  public CandorModel model() {
    return model;
  }

  public ExplanationTarget target() {
    return target;
  }

  /** Explanations whose relative residual exceeded {@link #COMPLETENESS_TOLERANCE} so far. */
  public long completenessViolations() {
    return completenessViolations.get();
  }

  /** Classifies without explaining (forward only). */
  public List<Prediction> predict(List<String> texts) {
    List<TokenizedText> tokenized = tokenize(texts);
    List<int[]> plan = plan(tokenized);
    return worker.call(
        () -> {
          Prediction[] out = new Prediction[tokenized.size()];
          for (int[] group : plan) {
            List<Prediction> part = classifier.predict(padded(tokenized, group));
            for (int k = 0; k < group.length; k++) {
              out[group[k]] = part.get(k);
            }
          }
          return List.of(out);
        });
  }

  /** Explains each text's predicted class. */
  public List<Explanation> explain(List<String> texts) {
    return explain(texts, null);
  }

  /**
   * Explains the given class of each text.
   *
   * @param targets class index per text, or null to explain each predicted class
   */
  public List<Explanation> explain(List<String> texts, int[] targets) {
    if (targets != null && targets.length != texts.size()) {
      throw new IllegalArgumentException("one target per text is needed");
    }
    List<TokenizedText> tokenized = tokenize(texts);
    List<int[]> plan = plan(tokenized);
    return worker.call(
        () -> {
          Explanation[] out = new Explanation[tokenized.size()];
          for (int[] group : plan) {
            int[] groupTargets = null;
            if (targets != null) {
              groupTargets = new int[group.length];
              for (int k = 0; k < group.length; k++) {
                groupTargets[k] = targets[group[k]];
              }
            }
            List<Explanation> part = explainBatch(padded(tokenized, group), groupTargets);
            for (int k = 0; k < group.length; k++) {
              out[group[k]] = part.get(k);
            }
          }
          return List.of(out);
        });
  }

  private List<int[]> plan(List<TokenizedText> tokenized) {
    int[] lengths = new int[tokenized.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = tokenized.get(i).length();
    }
    return planner.plan(lengths, maxBatchSize);
  }

  private PaddedBatch padded(List<TokenizedText> tokenized, int[] group) {
    List<TokenizedText> texts = new ArrayList<>(group.length);
    for (int i : group) {
      texts.add(tokenized.get(i));
    }
    return PaddedBatch.of(texts, model.tokenizer().padId());
  }

  /** Explains already tokenized texts (e.g. masked copies in faithfulness metrics). */
  public List<Explanation> explainTokenized(List<TokenizedText> texts, int[] targets) {
    return worker.call(
        () -> explainBatch(PaddedBatch.of(texts, model.tokenizer().padId()), targets));
  }

  /** Classifies already tokenized texts. */
  public List<Prediction> predictTokenized(List<TokenizedText> texts) {
    return worker.call(() -> classifier.predict(PaddedBatch.of(texts, model.tokenizer().padId())));
  }

  private List<TokenizedText> tokenize(List<String> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no texts given");
    }
    List<TokenizedText> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException("cannot classify an empty text");
      }
      out.add(model.tokenizer().encode(text));
    }
    return out;
  }

  private List<Explanation> explainBatch(PaddedBatch batch, int[] targets) {
    TransformerClassifier net = model.network();
    int n = batch.size();
    int width = batch.width();
    try (NDScope ignored = new NDScope()) {
      NDArray mask = net.additiveMask(batch.lengths(), width);
      NDArray embeddings = net.embed(net.ids(batch.ids()), true).stopGradient();
      embeddings.setRequiresGradient(true);
      NDArray logits;
      int[] explained = new int[n];
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        logits = net.logitsFromEmbeddings(embeddings, mask, true);
        double[][] z = BatchClassifier.rows(logits);
        int k = z[0].length;
        double[] weights = new double[n * k];
        for (int i = 0; i < n; i++) {
          explained[i] = targets != null ? targets[i] : BatchClassifier.argMax(z[i]);
          System.arraycopy(target.weights(k, explained[i]), 0, weights, i * k, k);
        }
        // float64 weights cast to the model's dtype: −1/(K−1) is exact for K = 2
        NDArray select =
            net.manager().create(weights, logits.getShape()).toType(logits.getDataType(), false);
        collector.backward(logits.mul(select).sum());
      }
      NDArray contributions =
          embeddings
              .getGradient()
              .mul(embeddings)
              .sum(new int[] {-1})
              .toType(DataType.FLOAT64, false);
      double[] flat = contributions.toDoubleArray();
      double[][] z = BatchClassifier.rows(logits);
      List<Explanation> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        double[] row = new double[width];
        System.arraycopy(flat, i * width, row, 0, width);
        out.add(assemble(batch.texts().get(i), z[i], explained[i], row));
      }
      return out;
    }
  }

  private Explanation assemble(TokenizedText t, double[] logits, int explained, double[] contrib) {
    List<TokenAttribution> tokens = new ArrayList<>(t.length());
    double sum = 0;
    for (int j = 0; j < t.length(); j++) {
      tokens.add(
          new TokenAttribution(
              t.tokens()[j], t.starts()[j], t.ends()[j], t.special()[j], contrib[j]));
      sum += contrib[j];
    }
    Prediction p = classifier.prediction(logits, t.truncated());
    double value = target.value(logits, explained);
    Explanation e =
        new Explanation(
            t.text(),
            p,
            explained,
            List.copyOf(tokens),
            Words.aggregate(t, contrib),
            value - sum,
            t.droppedTokens(),
            target);
    if (e.relativeResidual() > COMPLETENESS_TOLERANCE) {
      completenessViolations.incrementAndGet();
      LOG.warn(
          "completeness check failed: {} {} vs sum of attributions {} (relative {})",
          target.id(),
          value,
          sum,
          e.relativeResidual());
    }
    return e;
  }

  /** Stops the worker thread; the model stays open (its owner closes it). */
  @Override
  public void close() {
    worker.close();
  }
}
