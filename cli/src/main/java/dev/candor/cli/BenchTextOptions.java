package dev.candor.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data} and {@code --builtin-texts}: which texts the benchmarks time. */
final class BenchTextOptions {
  @Option(
      names = "--data",
      description =
          "datasets directory; texts come from hatexplain/val.jsonl (default: $CANDOR_DATA or"
              + " ../shared/data)")
  Path data;

  @Option(
      names = "--builtin-texts",
      description = "time six built-in sentences instead of HateXplain validation texts")
  boolean builtin;

  BenchTexts load() throws IOException {
    return builtin ? BenchTexts.builtin() : BenchTexts.hateXplain(data);
  }
}
