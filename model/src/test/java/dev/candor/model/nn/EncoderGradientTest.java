package dev.candor.model.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Autograd through one full encoder block + head agrees with central finite differences. */
class EncoderGradientTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void shouldMatchFiniteDifferencesThroughOneEncoderBlock(boolean bcos) {
    ModelConfig base = TestModels.tinyConfig(bcos, 1.5);
    ModelConfig oneLayer =
        base.toBuilder()
            .setHiddenSize(8)
            .setNumLayers(1)
            .setNumHeads(2)
            .setIntermediateSize(16)
            .setLabels(List.of("a", "b"))
            .optBaseModel("test")
            .build();
    try (TransformerClassifier net =
            TransformerClassifier.create(
                oneLayer, TestModels.randomWeights(oneLayer, 9), Device.cpu(), DataType.FLOAT64);
        NDScope ignored = new NDScope()) {
      NDArray ids = net.ids(new long[][] {{101, 2023, 2003, 1037, 102, 0}});
      NDArray mask = net.additiveMask(new int[] {5}, 6);
      NDArray emb = net.embed(ids, false).stopGradient();
      Shape shape = emb.getShape();
      double[] e0 = emb.toDoubleArray();
      emb.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(net.logitsFromEmbeddings(emb, mask, false).get(new NDIndex(":, 1")).sum());
      }
      double[] analytic = emb.getGradient().toDoubleArray();
      Function<double[], Double> f =
          e ->
              net.logitsFromEmbeddings(net.manager().create(e, shape), mask, false)
                  .get(new NDIndex(":, 1"))
                  .sum()
                  .getDouble();
      BcosOpsTest.assertGradient(f, e0, analytic);
    }
  }
}
