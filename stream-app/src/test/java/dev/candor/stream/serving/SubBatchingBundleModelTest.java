package dev.candor.stream.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.model.TestModels;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.ExplanationTarget;
import dev.candor.model.tokenize.SubBatchPlanner;
import dev.candor.stream.StreamAppConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream's model with sub-batching on explains a flushed batch exactly as with it off. */
class SubBatchingBundleModelTest {

  @Test
  void shouldExplainAFlushedBatchIdenticallyWithSubBatchingOnAndOff(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("bundle");
    TestModels.writeBundle(dir, true, 1.5, 5);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      texts.add(
          i % 5 == 1
              ? "a long text "
                  + i
                  + " that keeps going with many more words than the others around it, on and on"
              : "short " + i);
    }
    try (BundleModel off =
            BundleModel.load(
                dir,
                DeviceChoice.parse("cpu"),
                null,
                null,
                ExplanationTarget.LOGIT,
                SubBatchPlanner.off());
        BundleModel on =
            BundleModel.load(
                dir,
                DeviceChoice.parse("cpu"),
                null,
                null,
                ExplanationTarget.LOGIT,
                SubBatchPlanner.auto())) {
      List<Explanation> a = off.explain(texts);
      List<Explanation> b = on.explain(texts);
      double worst = 0;
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(texts.get(i), b.get(i).text());
        assertEquals(a.get(i).prediction().predicted(), b.get(i).prediction().predicted());
        for (int c = 0; c < 2; c++) {
          worst =
              Math.max(
                  worst,
                  Math.abs(a.get(i).prediction().logits()[c] - b.get(i).prediction().logits()[c]));
        }
        for (int j = 0; j < a.get(i).tokens().size(); j++) {
          worst =
              Math.max(
                  worst,
                  Math.abs(
                      a.get(i).tokens().get(j).attribution()
                          - b.get(i).tokens().get(j).attribution()));
        }
      }
      assertTrue(worst <= 1e-6, "largest difference " + worst);
    }
  }

  @Test
  void shouldBeOnByDefaultAndSwitchOff() {
    Map<String, Object> base =
        Map.of(
            StreamAppConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
            StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, "/tmp/none");
    assertTrue(new StreamAppConfig(base).subBatching().enabled());
    Map<String, Object> off = new java.util.HashMap<>(base);
    off.put(StreamAppConfig.SUB_BATCHING_CONFIG, "off");
    assertTrue(!new StreamAppConfig(off).subBatching().enabled());
  }
}
