package dev.candor.model.train;

import dev.candor.model.TestModels;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.convert.ConvertedModel;
import dev.candor.model.data.Example;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.provenance.Lineage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The toy task the training tests learn (label 1 iff a text contains "awful"), the settings that
 * learn it in a few epochs, and tiny starting points, shared by the train and soup tests.
 */
public final class ToyTask {
  private ToyTask() {}

  /** The settings that learn {@link #rows} in a few epochs. */
  public static TrainingConfig config(int epochs) {
    return TrainingConfig.builder()
        .setLearningRate(3e-3)
        .optEpochs(epochs)
        .optWeightDecay(0)
        .optSeed(1)
        .optEvalBatchSize(32)
        .build();
  }

  /** Label 1 iff the text contains "awful": a task a model must learn from one word. */
  public static List<Example> rows(int n, long seed) {
    String[] filler = {"the", "weather", "today", "is", "quite", "a", "day", "for", "walks"};
    Random r = new Random(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      StringBuilder b = new StringBuilder();
      int len = 3 + r.nextInt(5);
      int at = r.nextInt(len);
      for (int j = 0; j < len; j++) {
        b.append(j == at ? (label == 1 ? "awful" : "lovely") : filler[r.nextInt(filler.length)])
            .append(' ');
      }
      out.add(new Example(String.valueOf(i), b.toString().trim(), label, null));
    }
    return out;
  }

  /** The same rows with the opposite labels. */
  public static List<Example> flipped(List<Example> rows) {
    List<Example> out = new ArrayList<>(rows.size());
    for (Example e : rows) {
      out.add(new Example(e.id(), e.text(), 1 - e.label(), null));
    }
    return out;
  }

  /**
   * Tiny random starting weights (seed 2 learns the toy task in 6 epochs) with a lineage that has a
   * base-weights checksum, as a converted pre-trained model has.
   */
  public static ConvertedModel base(boolean bcos, long seed) {
    ModelConfig c = TestModels.tinyConfig(bcos, 1.5);
    return new ConvertedModel(
        c,
        TestModels.randomWeights(c, seed),
        MiniLmImporter.tokenizerJson(),
        Lineage.base("random test weights", "cd".repeat(32)),
        new ConversionSpec(bcos, 1.5, c.labels(), c.maxLength(), seed));
  }
}
