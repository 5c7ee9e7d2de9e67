package dev.candor.stream;

import dev.candor.model.ModelConfig;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.bundle.Provenance;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tiny random-weight B-cos bundles with the real MiniLM tokenizer (as model's TestModels builds
 * them), so tests exercise the real explainer in milliseconds per batch.
 */
final class TestBundles {

    private TestBundles() {}

    static ModelConfig tinyConfig() {
        return new ModelConfig(
                ModelConfig.Architecture.BERT,
                30522,
                16,
                2,
                2,
                32,
                64,
                2,
                0,
                1e-12,
                true,
                2.0,
                List.of("normal", "toxic"),
                32,
                ModelConfig.SpecialTokens.bert(),
                "random test weights");
    }

    /** Writes a bundle to {@code dir} (which must not exist) and returns its manifest sha256. */
    static String write(Path dir, long seed) {
        ModelConfig config = tinyConfig();
        try {
            ModelBundle b =
                    ModelBundle.write(
                            dir,
                            config,
                            randomWeights(config, seed),
                            tokenizerJson(),
                            Map.of("accuracy", 0.5),
                            new Provenance(
                                    "2026-01-01T00:00:00Z",
                                    "TestBundles.write",
                                    "random",
                                    null,
                                    "unknown",
                                    Map.of("seed", seed),
                                    List.of(),
                                    Map.of()));
            return b.manifestSha256();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, TensorData> randomWeights(ModelConfig config, long seed) {
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

    private static byte[] tokenizerJson() {
        // The MiniLM jar's tokenizer, read directly: model's importer lives in its internals.
        try (InputStream in =
                TestBundles.class
                        .getClassLoader()
                        .getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("MiniLM tokenizer not on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
