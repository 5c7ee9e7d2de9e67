package dev.candor.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The model a first run uses: the cached default bundle, or a quick bootstrap model trained once
 * (part of HateXplain, one epoch, a few minutes on 2 cores) and cached for later runs.
 */
final class BootstrapModel {
  static final int QUICK_TRAIN_TEXTS = 4000;

  private BootstrapModel() {}

  /** Returns the bundle to use, training the quick one first when nothing is cached. */
  static Path ensure(CommandLine root, PrintWriter err, Path data, String device) {
    Path bundle = ModelHome.defaultBundle();
    if (Files.exists(bundle)) {
      err.println("using cached model " + bundle);
      return bundle;
    }
    bundle = ModelHome.models().resolve(ModelHome.QUICK);
    err.println("no trained model cached yet: training a quick bootstrap model into " + bundle);
    err.println("(the full model: candor train — 2 epochs, about 25 min on 2 cores)");
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--epochs",
                "1",
                "--limit-train",
                String.valueOf(QUICK_TRAIN_TEXTS),
                "--limit-val",
                "500",
                "--out",
                bundle.toString(),
                "--device",
                device));
    if (data != null) {
      args.addAll(List.of("--data", data.toString()));
    }
    int code = root.execute(args.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("could not train the bootstrap model (exit " + code + ")");
    }
    return bundle;
  }
}
