package dev.candor.trainer.internals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.candor.model.CandorModel;
import dev.candor.model.nn.GradMode;
import dev.candor.model.nn.TensorData;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import dev.candor.model.train.AdamW;
import dev.candor.model.train.LengthBuckets;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.feedback.PenaltyMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes a model in place on one round's rows: BCE on one-hot targets, plus for rows with
 * spurious marks a counterfactual copy (marked tokens replaced by the mask token, label kept) and
 * an explanation penalty (see {@link PenaltyMode}). Runs on the calling thread, which must not be
 * explaining at the same time (one gradient collector per process).
 */
public final class RoundTrainer {

  /** One training text: its label index and the spans marked as not to matter. */
  public record Row(String text, int label, List<FeedbackItem.Span> spans) {}

  /** Settings of a round's fine-tuning. */
  public record Settings(
      int epochs,
      double learningRate,
      int batchSize,
      long seed,
      boolean augment,
      PenaltyMode penalty,
      double lambda,
      double distill,
      boolean distillMarked) {

    /** Settings without replay distillation. */
    public Settings(
        int epochs,
        double learningRate,
        int batchSize,
        long seed,
        boolean augment,
        PenaltyMode penalty,
        double lambda) {
      this(epochs, learningRate, batchSize, seed, augment, penalty, lambda, 0, false);
    }
  }

  /** Progress of a round (drawn as a progress bar by the CLI). */
  public interface Progress {
    void onStep(int step, int steps, double loss, double textsPerSecond);
  }

  /** What fine-tuning produced. */
  public record Result(
      Map<String, TensorData> weights,
      int rows,
      int augmentedRows,
      int markedRows,
      double finalLoss,
      double seconds) {}

  /**
   * One training row; {@code copy} is a marked row's masked copy; {@code teacher} holds the
   * production model's logits for a row without marks when replay distillation is on, else {@code
   * null}.
   */
  private record Prepared(
      TokenizedText tokens,
      int label,
      float[] marked,
      boolean anyMarked,
      boolean copy,
      float[] teacher) {
    Prepared(TokenizedText tokens, int label, float[] marked, boolean anyMarked, boolean copy) {
      this(tokens, label, marked, anyMarked, copy, null);
    }

    Prepared withTeacher(float[] logits) {
      return new Prepared(tokens, label, marked, anyMarked, copy, logits);
    }
  }

  private final Settings settings;

  public RoundTrainer(Settings settings) {
    this.settings = settings;
  }

  public Result train(CandorModel model, List<Row> rows, Progress progress) {
    long start = System.nanoTime();
    GradMode.disableForThisThread();
    TransformerClassifier net = model.network();
    int numLabels = model.config().numLabels();
    long maskId = model.tokenizer().maskId();
    List<Prepared> data = new ArrayList<>();
    int augmented = 0;
    int markedRows = 0;
    for (Row r : rows) {
      if (r.label() < 0 || r.label() >= numLabels) {
        throw new IllegalArgumentException("label " + r.label() + " out of range");
      }
      TokenizedText t = model.tokenizer().encode(r.text().isBlank() ? " " : r.text());
      float[] marked = markedTokens(t, r.spans());
      boolean any = false;
      for (float f : marked) {
        any |= f > 0;
      }
      data.add(new Prepared(t, r.label(), marked, any, false));
      if (any) {
        markedRows++;
        if (settings.augment()) {
          data.add(
              new Prepared(
                  masked(t, marked, maskId), r.label(), new float[marked.length], false, true));
          augmented++;
        }
      }
    }
    if (settings.distill() > 0) {
      data = withTeacherLogits(net, data, model.tokenizer().padId(), settings.distillMarked());
    }
    for (NDArray p : net.parameters().values()) {
      p.setRequiresGradient(true);
    }
    AdamW optimizer = new AdamW(net.parameters(), 0.01, 1.0);
    Random random = new Random(settings.seed());
    // length-bucketed batches as in `candor train`: a batch is padded to its longest text, so
    // batches of similar lengths waste little compute on padding
    int[] lengths = data.stream().mapToInt(p -> p.tokens().length()).toArray();
    List<List<int[]>> epochs = new ArrayList<>();
    long total = 0;
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      epochs.add(LengthBuckets.batches(lengths, settings.batchSize(), random));
      total += epochs.get(epoch).size();
    }
    long warmup = Math.round(total * 0.1);
    long global = 0;
    double lossSum = 0;
    int lossCount = 0;
    long texts = 0;
    for (List<int[]> batches : epochs) {
      for (int[] indices : batches) {
        List<Prepared> batch = new ArrayList<>(indices.length);
        for (int i : indices) {
          batch.add(data.get(i));
        }
        global++;
        double lr = rate(global, total, warmup);
        lossSum += step(net, batch, numLabels, maskId, model.tokenizer().padId(), lr, optimizer);
        lossCount++;
        texts += batch.size();
        double secs = (System.nanoTime() - start) / 1e9;
        progress.onStep(
            (int) global, (int) total, lossSum / lossCount, texts / Math.max(secs, 1e-9));
      }
    }
    for (NDArray p : net.parameters().values()) {
      p.setRequiresGradient(false);
    }
    return new Result(
        net.snapshot(),
        rows.size(),
        augmented,
        markedRows,
        lossCount == 0 ? Double.NaN : lossSum / lossCount,
        (System.nanoTime() - start) / 1e9);
  }

  private double step(
      TransformerClassifier net,
      List<Prepared> batch,
      int numLabels,
      long maskId,
      long padId,
      double lr,
      AdamW optimizer) {
    try (NDScope ignored = new NDScope()) {
      List<TokenizedText> tok = new ArrayList<>();
      float[] targets = new float[batch.size() * numLabels];
      List<Integer> markedIdx = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        tok.add(batch.get(i).tokens());
        targets[i * numLabels + batch.get(i).label()] = 1f;
        if (batch.get(i).anyMarked()) {
          markedIdx.add(i);
        }
      }
      PaddedBatch padded = PaddedBatch.of(tok, padId);
      double lossValue;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits =
            net.logits(net.ids(padded.ids()), net.additiveMask(padded.lengths(), padded.width()));
        NDArray y = typed(net.manager().create(targets, logits.getShape()), logits);
        NDArray loss = bceWithLogits(logits, y);
        NDArray objective = loss;
        List<Integer> taught = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
          if (batch.get(i).teacher() != null) {
            taught.add(i);
          }
        }
        if (!taught.isEmpty()) {
          objective = loss.add(distillation(net, batch, taught, logits));
        }
        PenaltyMode mode = markedIdx.isEmpty() ? PenaltyMode.NONE : settings.penalty();
        NDArray lambda = constant(logits, settings.lambda() / Math.max(1, markedIdx.size()));
        switch (mode) {
          case NONE -> collector.backward(objective);
          case CONSISTENCY, ABLATION -> {
            List<TokenizedText> maskedTok = new ArrayList<>();
            int[] rowsIdx = new int[markedIdx.size()];
            for (int j = 0; j < markedIdx.size(); j++) {
              Prepared p = batch.get(markedIdx.get(j));
              maskedTok.add(
                  mode == PenaltyMode.CONSISTENCY
                      ? masked(p.tokens(), p.marked(), maskId)
                      : p.tokens());
              rowsIdx[j] = markedIdx.get(j);
            }
            PaddedBatch mb = PaddedBatch.of(maskedTok, padId);
            NDArray maskAdd = net.additiveMask(mb.lengths(), mb.width());
            NDArray maskedLogits;
            if (mode == PenaltyMode.CONSISTENCY) {
              maskedLogits = net.logits(net.ids(mb.ids()), maskAdd);
            } else {
              // the marked tokens' post-LayerNorm embeddings set to zero: what is left of the
              // logit once their inputs are gone (their exact contribution for a linear model)
              float[] keep = paddedMarks(batch, markedIdx, mb.width());
              for (int i = 0; i < keep.length; i++) {
                keep[i] = 1f - keep[i];
              }
              NDArray e = net.embed(net.ids(mb.ids()), false);
              NDArray keepArr =
                  typed(
                      net.manager().create(keep, new Shape(rowsIdx.length, mb.width(), 1)), logits);
              maskedLogits = net.logitsFromEmbeddings(e.mul(keepArr), maskAdd, false);
            }
            float[] pick = new float[rowsIdx.length * batch.size()];
            for (int j = 0; j < rowsIdx.length; j++) {
              pick[j * batch.size() + rowsIdx[j]] = 1f;
            }
            NDArray original =
                typed(net.manager().create(pick, new Shape(rowsIdx.length, batch.size())), logits)
                    .matMul(logits);
            NDArray penalty = original.sub(maskedLogits).square().sum();
            collector.backward(objective.add(penalty.mul(lambda)));
          }
          case INPUT_X_GRADIENT, BCOS_FROZEN -> {
            List<TokenizedText> sub = new ArrayList<>();
            int[] labels = new int[markedIdx.size()];
            for (int j = 0; j < markedIdx.size(); j++) {
              sub.add(batch.get(markedIdx.get(j)).tokens());
              labels[j] = batch.get(markedIdx.get(j)).label();
            }
            PaddedBatch sb = PaddedBatch.of(sub, padId);
            float[] marked = paddedMarks(batch, markedIdx, sb.width());
            NDArray penalty =
                ExplanationPenalty.penalty(
                    net,
                    net.ids(sb.ids()),
                    net.additiveMask(sb.lengths(), sb.width()),
                    labels,
                    marked,
                    mode == PenaltyMode.BCOS_FROZEN);
            for (NDArray p : net.parameters().values()) {
              GradMode.zeroGrad(p); // drop ∂z/∂θ left by the create_graph backward
            }
            ExplanationPenalty.backward(objective.add(penalty.mul(lambda)));
          }
          default -> throw new IllegalStateException("unknown penalty " + mode);
        }
        lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
      }
      optimizer.step(lr);
      return lossValue;
    }
  }

  /**
   * Replay distillation: μ times the mean over unmarked rows (all rows but masked copies with
   * {@code distillMarked}) of the squared distance between the logits and the production model's
   * (computed before the first step). It holds the model where reviewers said nothing, so that the
   * penalty's change stays on the marked texts instead of drifting every prediction (learning
   * without forgetting, Li and Hoiem 2016, with logit matching instead of a tempered KL). On marked
   * rows, together with the penalty, it asks for production's prediction without the marked tokens'
   * contribution.
   */
  private NDArray distillation(
      TransformerClassifier net, List<Prepared> batch, List<Integer> taught, NDArray logits) {
    int k = batch.get(taught.get(0)).teacher().length;
    float[] pick = new float[taught.size() * batch.size()];
    float[] teacher = new float[taught.size() * k];
    for (int j = 0; j < taught.size(); j++) {
      pick[j * batch.size() + taught.get(j)] = 1f;
      System.arraycopy(batch.get(taught.get(j)).teacher(), 0, teacher, j * k, k);
    }
    NDArray student =
        typed(net.manager().create(pick, new Shape(taught.size(), batch.size())), logits)
            .matMul(logits);
    NDArray target = typed(net.manager().create(teacher, new Shape(taught.size(), k)), logits);
    return student
        .sub(target)
        .square()
        .sum()
        .mul(constant(logits, settings.distill() / taught.size()));
  }

  /** The rows, those without marks (augmented copies excluded) with production's logits. */
  private static List<Prepared> withTeacherLogits(
      TransformerClassifier net, List<Prepared> data, long padId, boolean marked) {
    List<Integer> plain = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      if ((marked || !data.get(i).anyMarked()) && !data.get(i).copy()) {
        plain.add(i);
      }
    }
    List<Prepared> out = new ArrayList<>(data);
    for (int from = 0; from < plain.size(); from += 32) {
      List<Integer> part = plain.subList(from, Math.min(plain.size(), from + 32));
      try (NDScope ignored = new NDScope()) {
        List<TokenizedText> tok = new ArrayList<>();
        for (int i : part) {
          tok.add(data.get(i).tokens());
        }
        PaddedBatch padded = PaddedBatch.of(tok, padId);
        NDArray z =
            net.logits(net.ids(padded.ids()), net.additiveMask(padded.lengths(), padded.width()))
                .toType(DataType.FLOAT32, false);
        float[] flat = z.toFloatArray();
        int k = flat.length / part.size();
        for (int j = 0; j < part.size(); j++) {
          out.set(
              part.get(j),
              data.get(part.get(j)).withTeacher(Arrays.copyOfRange(flat, j * k, (j + 1) * k)));
        }
      }
    }
    return out;
  }

  /**
   * The marked-token flags of the rows {@code rows} of {@code batch}, row-major, each padded with 0
   * to {@code width}.
   */
  private static float[] paddedMarks(List<Prepared> batch, List<Integer> rows, int width) {
    float[] out = new float[rows.size() * width];
    for (int j = 0; j < rows.size(); j++) {
      float[] m = batch.get(rows.get(j)).marked();
      System.arraycopy(m, 0, out, j * width, m.length);
    }
    return out;
  }

  /** 1 for each non-special token whose chars overlap a marked span. */
  public static float[] markedTokens(TokenizedText t, List<FeedbackItem.Span> spans) {
    float[] out = new float[t.length()];
    for (int j = 0; j < t.length(); j++) {
      if (t.special()[j] || t.starts()[j] < 0) {
        continue;
      }
      for (FeedbackItem.Span s : spans) {
        if (t.starts()[j] < s.end() && s.start() < t.ends()[j]) {
          out[j] = 1f;
          break;
        }
      }
    }
    return out;
  }

  /** A copy of {@code t} with marked tokens replaced by the mask token. */
  public static TokenizedText masked(TokenizedText t, float[] marked, long maskId) {
    long[] ids = Arrays.copyOf(t.ids(), t.ids().length);
    for (int j = 0; j < ids.length; j++) {
      if (marked[j] > 0) {
        ids[j] = maskId;
      }
    }
    return new TokenizedText(
        t.text(),
        ids,
        t.tokens(),
        t.starts(),
        t.ends(),
        t.special(),
        t.wordIds(),
        t.truncated(),
        t.droppedTokens());
  }

  private double rate(long step, long total, long warmup) {
    if (warmup > 0 && step <= warmup) {
      return settings.learningRate() * step / warmup;
    }
    return settings.learningRate()
        * Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
  }

  private static NDArray bceWithLogits(NDArray z, NDArray y) {
    NDArray zero = z.zerosLike();
    NDArray one = z.onesLike();
    return z.maximum(zero).sub(z.mul(y)).add(z.abs().neg().exp().add(one).log()).mean();
  }

  private static NDArray constant(NDArray like, double v) {
    return like.getDataType() == DataType.FLOAT64
        ? like.getManager().create(v)
        : like.getManager().create((float) v);
  }

  private static NDArray typed(NDArray a, NDArray like) {
    return like.getDataType() == DataType.FLOAT32 ? a : a.toType(like.getDataType(), false);
  }
}
