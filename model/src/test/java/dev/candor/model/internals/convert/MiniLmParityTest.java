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
import org.junit.jupiter.api.Test;

/** The conventional conversion must reproduce the ONNX model that the weights came from. */
@Tag("slow")
class MiniLmParityTest {
  private static final List<String> TEXTS =
      List.of(
          "Candor explains every moderation decision.",
          "you people should go back where you came from",
          "ok 👍🏽 naïve café");

  @Test
  void shouldMatchOnnxRuntimeHiddenStatesWithin1e4() throws Exception {
    byte[] onnx;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(MiniLmImporter.ONNX_RESOURCE)) {
      onnx = in.readAllBytes();
    }
    try (CandorModel model =
            BaseModels.bundledMiniLm(
                    ConversionSpec.builder()
                        .setLabels(List.of("a", "b"))
                        .optBcos(false)
                        .optB(1.0)
                        .optMaxLength(64)
                        .optHeadSeed(1)
                        .build())
                .toModel("conventional-minilm-untrained", Device.cpu(), DataType.FLOAT32);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
      GradMode.disableForThisThread();
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
              "ONNX parity: max |DJL - onnxruntime| = %.3e over %d tokens (%s)%n",
              maxDiff, expected[0].length, text);
          assertTrue(maxDiff < 1e-4, "max |DJL - onnxruntime| = " + maxDiff + " for " + text);
        }
      }
    }
  }
}
