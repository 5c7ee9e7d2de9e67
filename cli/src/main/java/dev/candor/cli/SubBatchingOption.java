package dev.candor.cli;

import dev.candor.model.tokenize.SubBatchPlanner;
import picocli.CommandLine.Option;

/** {@code --sub-batching on|off}, shared by the commands that explain or classify files. */
final class SubBatchingOption {
  @Option(
      names = "--sub-batching",
      defaultValue = "on",
      description =
          "on: texts are read in windows of 8 batches and grouped by length into padded batches"
              + " when the token counts say that is cheaper (output keeps the input order, results"
              + " are the same); off: batches of --batch-size in input order (default:"
              + " ${DEFAULT-VALUE})")
  String subBatching;

  SubBatchPlanner planner() {
    return SubBatchPlanner.parse(subBatching);
  }
}
