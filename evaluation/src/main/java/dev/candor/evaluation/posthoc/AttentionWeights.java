package dev.candor.evaluation.posthoc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.util.List;

/**
 * Raw attention: the last layer's [CLS] query row averaged over heads. Class-agnostic (targets are
 * ignored) and non-negative; each row sums to 1.
 */
public final class AttentionWeights implements TokenExplainer {

  @Override
  public String name() {
    return "attention";
  }

  @Override
  public String target() {
    return "none";
  }

  @Override
  public String describe() {
    return "attention: last layer's attention from [CLS], averaged over heads (class-agnostic)";
  }

  @Override
  public double[][] explain(CandorModel model, List<TokenizedText> texts, int[] targets) {
    TransformerClassifier net = model.network();
    try (NDScope ignored = new NDScope()) {
      PaddedBatch b = PaddedBatch.of(texts, model.tokenizer().padId());
      List<NDArray> layers =
          net.attentionProbabilities(net.ids(b.ids()), net.additiveMask(b.lengths(), b.width()));
      NDArray cls =
          layers.get(layers.size() - 1).get(new NDIndex(":, :, 0, :")).mean(new int[] {1});
      return Gradients.rows(cls, b);
    }
  }

  /** Head-averaged attention of every layer: {@code [layer][text][query][key]}, unpadded. */
  static double[][][][] headAveraged(CandorModel model, List<TokenizedText> texts) {
    TransformerClassifier net = model.network();
    try (NDScope ignored = new NDScope()) {
      PaddedBatch b = PaddedBatch.of(texts, model.tokenizer().padId());
      List<NDArray> layers =
          net.attentionProbabilities(net.ids(b.ids()), net.additiveMask(b.lengths(), b.width()));
      int w = b.width();
      double[][][][] out = new double[layers.size()][texts.size()][][];
      for (int l = 0; l < layers.size(); l++) {
        double[] flat =
            layers.get(l).mean(new int[] {1}).toType(DataType.FLOAT64, false).toDoubleArray();
        for (int i = 0; i < texts.size(); i++) {
          int len = b.lengths()[i];
          double[][] a = new double[len][len];
          for (int q = 0; q < len; q++) {
            System.arraycopy(flat, (i * w + q) * w, a[q], 0, len);
          }
          out[l][i] = a;
        }
      }
      return out;
    }
  }
}
