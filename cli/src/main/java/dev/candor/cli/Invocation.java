package dev.candor.cli;

import picocli.CommandLine.Model.CommandSpec;

/** The command line as typed, for provenance and report headers. */
final class Invocation {
  private Invocation() {}

  /** E.g. "candor train --epochs 2" (picocli's original arguments include the subcommand). */
  static String of(CommandSpec spec) {
    return "candor " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }
}
