package dev.candor.cli;

import dev.candor.model.DeviceChoice;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.data.DataDirectory;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.train.FineTuning;
import dev.candor.model.train.TrainingConfig;
import dev.candor.model.train.TrainingData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model a first run uses: the cached default bundle, or a quick bootstrap model trained once
 * (part of HateXplain, one epoch, a few minutes on 2 cores) and cached for later runs.
 */
final class BootstrapModel {
  static final int QUICK_TRAIN_TEXTS = 4000;
  static final int QUICK_VALIDATION_TEXTS = 500;

  /** {@code candor train}'s defaults for B-cos, cut to one epoch and the first texts. */
  static final TrainingConfig QUICK =
      TrainingConfig.builder()
          .setLearningRate(1e-4)
          .optEpochs(1)
          .optLimitTrain(QUICK_TRAIN_TEXTS)
          .optLimitValidation(QUICK_VALIDATION_TEXTS)
          .build();

  private BootstrapModel() {}

  /**
   * Returns the bundle to use, training the quick one first when nothing is cached.
   *
   * @param command the invocation that needed the model, recorded in the bootstrap's provenance
   */
  static Path ensure(PrintWriter err, Path data, String device, String command) throws IOException {
    Path bundle = ModelHome.defaultBundle();
    if (Files.exists(bundle)) {
      err.println("using cached model " + bundle);
      return bundle;
    }
    bundle = ModelHome.models().resolve(ModelHome.QUICK);
    err.println("no trained model cached yet: training a quick bootstrap model into " + bundle);
    err.println(
        "(the full model: candor train — a re-alignment pass and 2 epochs over the default mix,"
            + " about an hour on 2 cores)");
    Path dir = DataDirectory.dataset(DataDirectory.resolve(data), "hatexplain");
    JsonlDataset train = JsonlDataset.read(dir.resolve("train.jsonl"));
    JsonlDataset val = JsonlDataset.read(dir.resolve("val.jsonl"));
    ConversionSpec spec = new ConversionSpec(true, 1.5, train.labelNames(), 64, QUICK.seed());
    FineTuning.builder()
        .setBase(BaseModels.bundledMiniLm(spec))
        .setConfig(QUICK)
        .optListener(new TrainingProgress(err, QUICK.epochs()))
        .optCommand(command + " (bootstrap model)")
        .optDevice(DeviceChoice.parse(device).resolve())
        .build()
        .run(TrainingData.of(train, val))
        .writeBundle(bundle);
    return bundle;
  }
}
