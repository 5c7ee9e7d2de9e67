package dev.candor.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.candor.model.CandorModel;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.nn.GradMode;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Re-aligns a freshly converted B-cos encoder to the conventional pre-trained encoder it was
 * converted from, before the task epochs: fits the B-cos encoder's last hidden states to the
 * conventional one's on the training texts (loss: mean over real tokens of 1 − cos), with AdamW of
 * its own (the run's weight decay and clip), linear warm-up over the run's warm-up fraction and
 * linear decay from its own peak rate.
 *
 * <p>Why: the conversion (biases dropped, B-cos linears) moves every layer's output away from what
 * pre-training learnt, and the task epochs alone do not bring it back; fitting it back first gained
 * on HateXplain validation and the functional checks on two seeds (docs/model-results.md, "three
 * more levers"). Only the encoder moves (the head gets no gradient); the result is a plain B-cos
 * model, so its explanations stay exact.
 */
public final class EncoderRealignment {
  /** Steps whose mean loss {@link Fit#finalLoss} reports. */
  static final int FINAL_WINDOW = 50;

  private static final long SEED_OFFSET = 1000; // its shuffles differ from the task epochs'

  private final ConvertedModel target;
  private final int epochs;
  private final double peakLearningRate;

  /**
   * @param target the conventional (not B-cos) conversion of the same pre-trained encoder, e.g.
   *     {@code BaseModels.from(base, spec)} with {@code spec.bcos()} false
   * @param epochs passes over the training texts, at least 1
   * @param peakLearningRate in (0, 1)
   * @throws IllegalArgumentException if the target is B-cos or a setting is out of range
   */
  public EncoderRealignment(ConvertedModel target, int epochs, double peakLearningRate) {
    this.target = Objects.requireNonNull(target, "target cannot be null");
    if (target.config().bcos()) {
      throw new IllegalArgumentException(
          "the re-alignment target must be the conventional encoder, not a B-cos one");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("re-alignment epochs must be at least 1, was " + epochs);
    }
    if (!(peakLearningRate > 0 && peakLearningRate < 1)) {
      throw new IllegalArgumentException(
          "re-alignment learning rate must be in (0, 1), was " + peakLearningRate);
    }
    this.epochs = epochs;
    this.peakLearningRate = peakLearningRate;
  }

  /** What a fit did: mean loss of each epoch and of the last {@link #FINAL_WINDOW} steps. */
  public record Fit(List<Double> epochLoss, double finalLoss, long steps) {}

  /**
   * @throws IllegalArgumentException if the model to train cannot be re-aligned to the target (not
   *     B-cos, another hidden size or another tokenizer)
   */
  void checkStudent(ModelConfig student, byte[] studentTokenizer) {
    if (!student.bcos()) {
      throw new IllegalArgumentException(
          "re-alignment is for a B-cos model; a conventional one starts where the target is");
    }
    if (student.hiddenSize() != target.config().hiddenSize()) {
      throw new IllegalArgumentException(
          "the re-alignment target's hidden size "
              + target.config().hiddenSize()
              + " differs from the model's "
              + student.hiddenSize());
    }
    if (!Arrays.equals(studentTokenizer, target.tokenizerJson())) {
      throw new IllegalArgumentException(
          "the re-alignment target has another tokenizer than the model: convert both from the"
              + " same base");
    }
  }

  /**
   * Fits {@code model}'s encoder in place on the texts of {@code rows} (the training rows after any
   * limit), in batches of the run's size; calls {@link TrainingListener#onRealign} after each step.
   * Runs on the calling thread, which must not be explaining at the same time.
   */
  Fit fit(
      CandorModel model,
      List<Example> rows,
      TrainingConfig config,
      Device device,
      TrainingListener listener) {
    GradMode.disableForThisThread();
    TransformerClassifier net = model.network();
    List<TokenizedText> texts = FineTuner.tokenize(model, rows);
    int[] lengths = texts.stream().mapToInt(TokenizedText::length).toArray();
    for (NDArray p : net.parameters().values()) {
      p.setRequiresGradient(true);
    }
    AdamW optimizer = new AdamW(net.parameters(), config.weightDecay(), config.clipNorm());
    Random random = new Random(config.seed() + SEED_OFFSET);
    long stepsPerEpoch = (texts.size() + config.batchSize() - 1) / config.batchSize();
    long total = stepsPerEpoch * epochs;
    long warmup = Math.round(total * config.warmupFraction());
    long step = 0;
    long start = System.nanoTime();
    List<Double> epochLoss = new ArrayList<>();
    double[] recent = new double[FINAL_WINDOW];
    try (CandorModel reference = target.toModel("realignment-target", device, DataType.FLOAT32)) {
      TransformerClassifier ref = reference.network();
      for (int epoch = 1; epoch <= epochs; epoch++) {
        double sum = 0;
        int n = 0;
        for (int[] idx : LengthBuckets.batches(lengths, config.batchSize(), random)) {
          step++;
          double loss;
          try (NDScope ignored = new NDScope()) {
            List<TokenizedText> batchTexts = new ArrayList<>(idx.length);
            for (int i : idx) {
              batchTexts.add(texts.get(i));
            }
            PaddedBatch batch = PaddedBatch.of(batchTexts, model.tokenizer().padId());
            NDArray wanted = lastHidden(ref, batch).stopGradient();
            NDArray value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
              NDArray hidden = lastHidden(net, batch);
              value = oneMinusCosine(hidden, wanted.toType(hidden.getDataType(), false), batch);
              collector.backward(value);
            }
            loss = value.toType(DataType.FLOAT64, false).getDouble();
            optimizer.step(FineTuner.learningRate(peakLearningRate, step, total, warmup));
          }
          sum += loss;
          n++;
          recent[(int) ((step - 1) % FINAL_WINDOW)] = loss;
          double seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
          double rate = step * (double) config.batchSize() / seconds;
          listener.onRealign(
              step, total, sum / n, rate, (total - step) * (double) config.batchSize() / rate);
        }
        epochLoss.add(sum / n);
      }
    }
    int window = (int) Math.min(FINAL_WINDOW, step);
    double finalLoss = Arrays.stream(recent, 0, window).sum() / Math.max(window, 1);
    return new Fit(List.copyOf(epochLoss), finalLoss, step);
  }

  /** The encoder's last hidden states of a padded batch, {@code [batch, len, hidden]}. */
  static NDArray lastHidden(TransformerClassifier net, PaddedBatch batch) {
    return net.encode(
        net.embed(net.ids(batch.ids()), false),
        net.additiveMask(batch.lengths(), batch.width()),
        false);
  }

  /**
   * Mean over real tokens of 1 − cos(hidden, wanted), both {@code [batch, len, hidden]}; constants
   * are 0-d arrays (see {@code Scalars}).
   */
  static NDArray oneMinusCosine(NDArray hidden, NDArray wanted, PaddedBatch batch) {
    int rows = batch.size();
    int width = batch.width();
    float[] real = new float[rows * width];
    for (int i = 0; i < rows; i++) {
      Arrays.fill(real, i * width, i * width + batch.lengths()[i], 1f);
    }
    DataType dtype = hidden.getDataType();
    NDArray mask = hidden.getManager().create(real, new Shape(rows, width)).toType(dtype, false);
    NDArray eps = hidden.getManager().create(1e-6f).toType(dtype, false);
    NDArray dot = hidden.mul(wanted).sum(new int[] {-1});
    NDArray norms = hidden.norm(new int[] {-1}).mul(wanted.norm(new int[] {-1})).add(eps);
    NDArray cos = dot.div(norms);
    return mask.sub(cos.mul(mask)).sum().div(mask.sum());
  }

  /** The settings and what the fit did, for the provenance. */
  Map<String, Object> asMap(Fit fit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("realign_target", target.config().baseModel() + " (conventional)");
    m.put(
        "realign_objective",
        "mean over real tokens of 1 - cos(last hidden state, the conventional encoder's)");
    m.put("realign_epochs", epochs);
    m.put("realign_peak_learning_rate", peakLearningRate);
    m.put("realign_schedule", "AdamW, linear warm-up over warmup_fraction, linear decay to 0");
    m.put("realign_steps", fit.steps());
    m.put("realign_loss_by_epoch", fit.epochLoss());
    m.put("realign_final_loss", fit.finalLoss());
    return m;
  }
}
