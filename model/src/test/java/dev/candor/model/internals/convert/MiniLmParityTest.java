package dev.candor.model.internals.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.candor.model.CandorModel;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.nn.GradMode;
import dev.candor.model.nn.TransformerClassifier;
import dev.candor.model.tokenize.PaddedBatch;
import dev.candor.model.tokenize.TokenizedText;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conventional conversion of every bundled encoder must reproduce the ONNX model that the
 * weights came from (last hidden state, all positions), and the forward pass is timed.
 */
@Tag("slow")
class MiniLmParityTest {
  private static final List<String> TEXTS =
      List.of(
          "Candor explains every moderation decision.",
          "you people should go back where you came from",
          "ok 👍🏽 naïve café");

  @ParameterizedTest
  @EnumSource(MiniLmImporter.Bundled.class)
  void shouldMatchOnnxRuntimeHiddenStatesWithin1e4(MiniLmImporter.Bundled encoder)
      throws Exception {
    byte[] onnx;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(encoder.onnxResource())) {
      onnx = in.readAllBytes();
    }
    long convertStart = System.nanoTime();
    try (CandorModel model =
            BaseModels.from(
                    encoder.id(),
                    ConversionSpec.builder()
                        .setLabels(List.of("a", "b"))
                        .optBcos(false)
                        .optB(1.0)
                        .optMaxLength(64)
                        .optHeadSeed(1)
                        .build())
                .toModel(
                    "conventional-" + encoder.id() + "-untrained", Device.cpu(), DataType.FLOAT32);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
      GradMode.disableForThisThread();
      System.out.printf(
          "%s: %d layers, converted in %.1f s%n",
          encoder.id(), model.config().numLayers(), (System.nanoTime() - convertStart) / 1e9);
      assertEquals(encoder.layers(), model.config().numLayers());
      TransformerClassifier net = model.network();
      for (String text : TEXTS) {
        TokenizedText t = model.tokenizer().encode(text);
        PaddedBatch batch = PaddedBatch.of(List.of(t), model.tokenizer().padId());
        long[][] ids = batch.ids();
        long[][] mask = new long[1][ids[0].length];
        long[][] types = new long[1][ids[0].length];
        java.util.Arrays.fill(mask[0], 1L);
        Map<String, OnnxTensor> inputs = new HashMap<>();
        inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
        inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
        if (session.getInputNames().contains("token_type_ids")) {
          inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
        }
        float[][][] expected;
        try (OrtSession.Result r = session.run(inputs)) {
          expected = (float[][][]) r.get(0).getValue();
        }
        try (NDScope ignored = new NDScope()) {
          NDArray h =
              net.encode(
                  net.embed(net.ids(ids), false),
                  net.additiveMask(batch.lengths(), batch.width()),
                  false);
          float[] got = h.toFloatArray();
          int hidden = model.config().hiddenSize();
          assertEquals(expected[0].length * hidden, got.length);
          double maxDiff = 0;
          for (int i = 0; i < expected[0].length; i++) {
            for (int j = 0; j < hidden; j++) {
              maxDiff = Math.max(maxDiff, Math.abs(expected[0][i][j] - got[i * hidden + j]));
            }
          }
          System.out.printf(
              "ONNX parity %s: max |DJL - onnxruntime| = %.3e over %d tokens (%s)%n",
              encoder.id(), maxDiff, expected[0].length, text);
          assertTrue(maxDiff < 1e-4, "max |DJL - onnxruntime| = " + maxDiff + " for " + text);
        }
      }
      timeForward(model, net);
    }
  }

  /** Prints the forward cost of a 32 × 64-token batch (the serving batch shape), best of 3. */
  private static void timeForward(CandorModel model, TransformerClassifier net) {
    String longText = String.join(" ", TEXTS).repeat(3);
    List<TokenizedText> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 32; i++) {
      batch.add(model.tokenizer().encode(longText));
    }
    PaddedBatch b = PaddedBatch.of(batch, model.tokenizer().padId());
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      try (NDScope ignored = new NDScope()) {
        net.logits(net.ids(b.ids()), net.additiveMask(b.lengths(), b.width())).toFloatArray();
      }
      best = Math.min(best, (System.nanoTime() - start) / 1e6);
    }
    System.out.printf(
        "forward %s: %.1f ms per batch of 32 × %d tokens = %.2f ms/text (best of 3)%n",
        model.config().baseModel(), best, b.width(), best / 32);
  }
}
