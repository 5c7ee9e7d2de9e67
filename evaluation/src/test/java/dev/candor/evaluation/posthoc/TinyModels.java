package dev.candor.evaluation.posthoc;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.candor.model.CandorModel;
import dev.candor.model.ModelConfig;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small random-weight models sharing the bundled MiniLM tokenizer (a copy of the model module's
 * test helper, so this module does not depend on model's test jar).
 */
public final class TinyModels {
    private TinyModels() {
    }

    public static ModelConfig config(boolean bcos, double b) {
        return new ModelConfig(
                ModelConfig.Architecture.BERT, 30522, 16, 2, 2, 32, 64, 2, 0, 1e-12, bcos, b,
                List.of("normal", "toxic"), 32, ModelConfig.SpecialTokens.bert(), "random test weights");
    }

    /** Random weights with the scale of a trained BERT. */
    public static Map<String, TensorData> weights(ModelConfig config, long seed) {
        Random r = new Random(seed);
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ParameterLayout.shapes(config).entrySet()) {
            int n = 1;
            for (long d : e.getValue()) {
                n *= (int) d;
            }
            float[] v = new float[n];
            boolean gain = e.getKey().endsWith("LayerNorm.weight");
            for (int i = 0; i < n; i++) {
                v[i] = (float) (gain ? 1.0 + 0.1 * r.nextGaussian() : 0.3 * r.nextGaussian());
            }
            out.put(e.getKey(), new TensorData(e.getValue(), v));
        }
        return out;
    }

    public static CandorModel tiny(boolean bcos, double b, DataType dtype, long seed) {
        ModelConfig c = config(bcos, b);
        return CandorModel.of(c, weights(c, seed), MiniLmImporter.tokenizerJson(), "tiny-test",
                Device.cpu(), dtype);
    }
}
