package dev.candor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * First run on a fresh machine: makes sure a model exists (training a quick bootstrap model on part
 * of HateXplain when none is cached) and explains a few example texts.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "Train (once, ~3 min on 2 cores) or reuse a B-cos model, then explain examples.")
final class QuickstartCommand implements Callable<Integer> {
  static final List<String> EXAMPLES =
      List.of(
          "I love how this community always helps each other out",
          "these people are vermin and should be thrown out of the country",
          "what a stupid idiot, shut up");

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      description = "datasets directory (default: $CANDOR_DATA or ../shared/data)")
  Path data;

  @Option(names = "--device", defaultValue = "auto")
  String device;

  @Override
  public Integer call() throws Exception {
    CommandLine root = spec.root().commandLine();
    Path bundle =
        BootstrapModel.ensure(spec.commandLine().getErr(), data, device, Invocation.of(spec));
    List<String> explain =
        new ArrayList<>(List.of("explain", "--model", bundle.toString(), "--device", device));
    explain.addAll(EXAMPLES);
    int code = root.execute(explain.toArray(String[]::new));
    if (code == 0) {
      spec.commandLine()
          .getOut()
          .println(
              "next: bin/candor explain \"your text\"   |   bin/candor explain --json -f texts.txt"
                  + "   |   bin/candor evaluate");
    }
    return code;
  }
}
