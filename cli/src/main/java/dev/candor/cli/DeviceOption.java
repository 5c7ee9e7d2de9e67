package dev.candor.cli;

import dev.candor.model.DeviceChoice;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu}, shared by every command that runs the model. */
final class DeviceOption {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}; auto takes a GPU when present)")
  String device;

  DeviceChoice choice() {
    return DeviceChoice.parse(device);
  }
}
