package dev.candor.cli;

import dev.candor.model.CandorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --model DIR} plus {@code --device}: loads a verified bundle. */
final class ModelOption {
  @Option(
      names = {"-m", "--model"},
      description =
          "model bundle directory (default: ~/.candor/models/bcos-b1.5-minilm-hatexplain)")
  Path model;

  @Mixin DeviceOption device;

  Path bundleDir() {
    Path dir = model != null ? model : ModelHome.defaultBundle();
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException(
          "no model bundle at " + dir + ": train one with 'candor train' or pass --model DIR");
    }
    return dir;
  }

  CandorModel load() throws IOException {
    return CandorModel.load(bundleDir(), device.choice());
  }
}
