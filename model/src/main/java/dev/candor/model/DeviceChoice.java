package dev.candor.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Where tensors live: {@code auto} takes the first GPU when the engine sees one. */
public enum DeviceChoice {
  AUTO,
  CPU,
  GPU;

  public static DeviceChoice parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "device must be one of auto, cpu, gpu (was '" + value + "')");
    }
  }

  public Device resolve() {
    int gpus = Engine.getInstance().getGpuCount();
    return switch (this) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalStateException(
              "device gpu requested but the PyTorch engine sees no GPU; install libtorch with CUDA"
                  + " and set PYTORCH_LIBRARY_PATH and PYTORCH_FLAVOR, or use --device cpu");
        }
        yield Device.gpu();
      }
    };
  }
}
