package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.provenance.ModelProvenance;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-run model is trained through the model API and says so in its provenance. */
class BootstrapModelTest {
  @TempDir Path tmp;

  @Test
  void shouldTrainTheQuickModelOnceWithProvenanceAndThenReuseIt() throws Exception {
    Path hatexplain = tmp.resolve("data/hatexplain");
    ToyData.write(hatexplain, 16);
    String before = System.getProperty("candor.home");
    System.setProperty("candor.home", tmp.resolve("home").toString());
    try {
      StringWriter err = new StringWriter();
      Path bundle =
          BootstrapModel.ensure(
              new PrintWriter(err, true), tmp.resolve("data"), "cpu", "candor quickstart");
      assertEquals(tmp.resolve("home/models").resolve(ModelHome.QUICK), bundle);
      assertTrue(err.toString().contains("epoch 1/1"), err.toString());
      ModelProvenance p = ModelBundle.read(bundle).provenance();
      assertEquals("candor quickstart (bootstrap model)", p.command());
      assertEquals(BootstrapModel.QUICK_TRAIN_TEXTS, p.hyperParameters().get("limit_train"));
      assertEquals("train", p.data().get(0).role());
      assertEquals(hatexplain.resolve("train.jsonl").toString(), p.data().get(0).path());

      StringWriter again = new StringWriter();
      assertEquals(
          bundle,
          BootstrapModel.ensure(
              new PrintWriter(again, true), tmp.resolve("data"), "cpu", "candor local"));
      assertTrue(again.toString().contains("using cached model"), again.toString());
    } finally {
      if (before == null) {
        System.clearProperty("candor.home");
      } else {
        System.setProperty("candor.home", before);
      }
    }
  }
}
