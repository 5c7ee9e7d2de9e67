package dev.candor.cli;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** The command line as typed, for provenance and report headers. */
final class Invocation {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private Invocation() {}

  /** E.g. "candor train --epochs 2" (picocli's original arguments include the subcommand). */
  static String of(CommandSpec spec) {
    return of(spec.commandLine().getParseResult().originalArgs());
  }

  /** Quoted for a POSIX shell where needed, so the recorded line can be pasted back. */
  static String of(List<String> args) {
    return "candor "
        + args.stream()
            .map(a -> PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'")
            .collect(Collectors.joining(" "));
  }
}
