package dev.candor.stream.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.model.TestModels;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.explain.TokenAttribution;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream's model explains the configured target, and the contributions sum to it. */
class BundleModelTargetTest {

  @Test
  void shouldExplainTheLogitDifferenceWhenConfiguredRelative(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("m");
    TestModels.writeBundle(bundle, true, 1.5, 31);
    List<String> texts = List.of("go back where you came from", "what a lovely day");
    try (BundleModel logit = BundleModel.load(bundle, DeviceChoice.CPU, null, null);
        BundleModel relative =
            BundleModel.load(bundle, DeviceChoice.CPU, null, null, ExplanationTarget.RELATIVE)) {
      List<Explanation> a = logit.explain(texts);
      List<Explanation> r = relative.explain(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(ExplanationTarget.LOGIT, a.get(i).target());
        assertEquals(ExplanationTarget.RELATIVE, r.get(i).target());
        double[] z = r.get(i).prediction().logits();
        int c = r.get(i).explained();
        double sum = r.get(i).tokens().stream().mapToDouble(TokenAttribution::attribution).sum();
        // float32 model: the completeness tolerance of the product's runtime check
        assertEquals(z[c] - z[1 - c], sum, 1e-3 * Math.max(1, Math.abs(z[c] - z[1 - c])));
        double logitSum =
            a.get(i).tokens().stream().mapToDouble(TokenAttribution::attribution).sum();
        assertEquals(z[c], logitSum, 1e-3 * Math.max(1, Math.abs(z[c])));
        assertTrue(Math.abs(z[1 - c]) > 1e-3, "the two targets must differ on this model");
      }
    }
  }
}
