package dev.candor.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.candor.model.CandorModel;
import dev.candor.model.data.Example;
import dev.candor.model.nn.GradMode;
import dev.candor.model.nn.TensorData;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes a {@link CandorModel} in place with binary cross-entropy on one-hot targets (for the
 * B-cos model this maximises logit magnitude and strengthens alignment) or on a teacher's soft
 * targets ({@link TeacherTargets}), AdamW, linear warm-up and decay, gradient clipping and
 * length-bucketed dynamic padding. Validates after every epoch and keeps the best epoch's weights
 * (by validation macro-F1).
 *
 * <p>Runs on the calling thread, which must not be explaining at the same time: PyTorch allows one
 * gradient collector per process.
 */
public final class FineTuner {
  private final TrainingConfig config;
  private final TrainingListener listener;

  public FineTuner(TrainingConfig config, TrainingListener listener) {
    this.config = config;
    this.listener = listener == null ? TrainingListener.NONE : listener;
  }

  /** What a run produced. */
  public record Result(
      Map<String, TensorData> bestWeights,
      int bestEpoch,
      ClassificationMetrics bestValidation,
      List<Map<String, Object>> history,
      double trainTextsPerSecond,
      Map<String, ClassificationMetrics> bestOtherValidation) {}

  public Result train(CandorModel model, List<Example> train, List<Example> validation) {
    return train(model, train, validation, Map.of());
  }

  /**
   * Trains; {@code validation} picks the best epoch, and every set of {@code otherValidation} (by
   * source name) is scored after every epoch too, for per-source figures. The validation limit
   * applies to each set.
   */
  public Result train(
      CandorModel model,
      List<Example> train,
      List<Example> validation,
      Map<String, List<Example>> otherValidation) {
    return train(model, train, validation, otherValidation, null);
  }

  /**
   * As above, fitted to a teacher's soft targets where {@code teacher} is not null (scored on the
   * same training rows, after the training limit).
   */
  public Result train(
      CandorModel model,
      List<Example> train,
      List<Example> validation,
      Map<String, List<Example>> otherValidation,
      TeacherTargets teacher) {
    GradMode.disableForThisThread();
    TransformerClassifier net = model.network();
    int numLabels = model.config().numLabels();
    List<Example> trainRows = config.trainRowsOf(train);
    List<TokenizedText> trainTok = tokenize(model, trainRows);
    List<Example> valRows = config.validationRowsOf(validation);
    for (Example e : trainRows) {
      if (e.label() < 0 || e.label() >= numLabels) {
        throw new IllegalArgumentException(
            "example "
                + e.id()
                + " has label "
                + e.label()
                + " but the model has "
                + numLabels
                + " labels");
      }
    }
    if (teacher != null && teacher.size() != trainRows.size()) {
      throw new IllegalArgumentException(
          "the teacher scored " + teacher.size() + " rows, training has " + trainRows.size());
    }
    int[] lengths = trainTok.stream().mapToInt(TokenizedText::length).toArray();
    for (NDArray p : net.parameters().values()) {
      p.setRequiresGradient(true);
    }
    AdamW optimizer = new AdamW(net.parameters(), config.weightDecay(), config.clipNorm());
    Random random = new Random(config.seed());
    int stepsPerEpoch = (trainTok.size() + config.batchSize() - 1) / config.batchSize();
    long totalSteps = (long) stepsPerEpoch * config.epochs();
    long warmup = Math.round(totalSteps * config.warmupFraction());
    long globalStep = 0;
    long runStart = System.nanoTime();
    long textsSeen = 0;
    long trainNanos = 0;
    Map<String, TensorData> best = null;
    ClassificationMetrics bestMetrics = null;
    int bestEpoch = 0;
    Map<String, ClassificationMetrics> bestOthers = Map.of();
    List<Map<String, Object>> history = new ArrayList<>();
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      List<int[]> batches = LengthBuckets.batches(lengths, config.batchSize(), random);
      double lossSum = 0;
      long epochStart = System.nanoTime();
      long epochTexts = 0;
      for (int s = 0; s < batches.size(); s++) {
        int[] idx = batches.get(s);
        globalStep++;
        double lr = learningRate(config.learningRate(), globalStep, totalSteps, warmup);
        try (NDScope ignored = new NDScope()) {
          List<TokenizedText> texts = new ArrayList<>(idx.length);
          float[] targets = new float[idx.length * numLabels];
          for (int i = 0; i < idx.length; i++) {
            texts.add(trainTok.get(idx[i]));
            int label = trainRows.get(idx[i]).label();
            if (teacher == null) {
              targets[i * numLabels + label] = 1f;
            } else {
              teacher.fill(targets, i * numLabels, idx[i], label);
            }
          }
          PaddedBatch batch = PaddedBatch.of(texts, model.tokenizer().padId());
          NDArray loss;
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits =
                net.logits(net.ids(batch.ids()), net.additiveMask(batch.lengths(), batch.width()));
            NDArray y = net.manager().create(targets, logits.getShape());
            loss = bceWithLogits(logits, y.toType(logits.getDataType(), false));
            collector.backward(loss);
          }
          lossSum += loss.toType(DataType.FLOAT64, false).getDouble();
          optimizer.step(lr);
        }
        epochTexts += idx.length;
        textsSeen += idx.length;
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        double rate = epochTexts / Math.max(elapsed, 1e-9);
        double runRate = textsSeen / Math.max((System.nanoTime() - runStart) / 1e9, 1e-9);
        double remainingTexts = (totalSteps - globalStep) * (double) config.batchSize();
        listener.onStep(
            epoch,
            s + 1,
            batches.size(),
            lossSum / (s + 1),
            rate,
            remainingTexts / Math.max(runRate, 1e-9));
      }
      trainNanos += System.nanoTime() - epochStart;
      ClassificationMetrics val = LabelledScoring.score(model, valRows, config.evalBatchSize());
      boolean improved = bestMetrics == null || val.macroF1() > bestMetrics.macroF1();
      Map<String, ClassificationMetrics> others = new LinkedHashMap<>();
      for (Map.Entry<String, List<Example>> o : otherValidation.entrySet()) {
        List<Example> rows = config.validationRowsOf(o.getValue());
        others.put(o.getKey(), LabelledScoring.score(model, rows, config.evalBatchSize()));
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", epoch);
      row.put("train_loss", lossSum / batches.size());
      row.put("validation", val.asMap());
      if (!others.isEmpty()) {
        Map<String, Object> by = new LinkedHashMap<>();
        others.forEach((k, v) -> by.put(k, v.asMap()));
        row.put("other_validation", by);
      }
      history.add(row);
      if (improved) {
        best = net.snapshot();
        bestMetrics = val;
        bestEpoch = epoch;
        bestOthers = others;
      }
      listener.onEpoch(epoch, val, improved);
    }
    double trainRate = textsSeen / Math.max(trainNanos / 1e9, 1e-9);
    return new Result(best, bestEpoch, bestMetrics, history, trainRate, bestOthers);
  }

  /** Each row's text through the model's tokenizer (also {@link EncoderRealignment}'s). */
  static List<TokenizedText> tokenize(CandorModel model, List<Example> rows) {
    List<TokenizedText> out = new ArrayList<>(rows.size());
    for (Example e : rows) {
      out.add(model.tokenizer().encode(e.text()));
    }
    return out;
  }

  /**
   * The rate at 1-based {@code step} of {@code total}: linear warm-up to {@code peak} over the
   * first {@code warmup} steps, then linear decay to 0 (the task epochs and {@link
   * EncoderRealignment}).
   */
  static double learningRate(double peak, long step, long total, long warmup) {
    if (warmup > 0 && step <= warmup) {
      return peak * step / warmup;
    }
    return peak * Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
  }

  /**
   * Mean binary cross-entropy with logits, in the overflow-free form {@code max(z,0) − z·y + log(1
   * + e^(−|z|))} (DJL 0.36 has no log1p).
   */
  static NDArray bceWithLogits(NDArray z, NDArray y) {
    NDArray zero = z.zerosLike();
    NDArray one = z.onesLike();
    return z.maximum(zero).sub(z.mul(y)).add(z.abs().neg().exp().add(one).log()).mean();
  }
}
