package dev.candor.cli;

import picocli.CommandLine.Command;

/** Benchmarks; each subcommand measures ratios within one run and writes docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks (model, stream and dashboard results go to docs/benchmarks.md; flags"
            + " prints).",
    subcommands = {
      BenchModelCommand.class,
      BenchStreamCommand.class,
      BenchFlagsCommand.class,
      BenchDashboardCommand.class
    })
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
