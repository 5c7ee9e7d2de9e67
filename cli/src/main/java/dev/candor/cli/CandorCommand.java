package dev.candor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code candor} command. */
@Command(
    name = "candor",
    mixinStandardHelpOptions = true,
    version = "candor 0.1.0",
    description = "Explained moderation with B-cos transformers: every prediction says why.",
    subcommands = {
      QuickstartCommand.class,
      LocalCommand.class,
      StreamCommand.class,
      TopicsCommand.class,
      TrainCommand.class,
      SoupCommand.class,
      FunctionalDataCommand.class,
      DashboardCommand.class,
      ClassifyCommand.class,
      ExplainCommand.class,
      EvaluateCommand.class,
      ConvertCommand.class,
      BenchCommand.class,
      ProduceCommand.class,
      ConsumeCommand.class,
      PublishModelCommand.class,
      TrainerCommand.class,
      ModelsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class CandorCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line wired with Candor's error handling (one line, no stack trace). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CandorCommand());
    cl.setExecutionExceptionHandler(new FriendlyErrors());
    return cl;
  }

  /** Subcommands that run the model: these tell the user when the CPU is slower than the docs'. */
  static final java.util.Set<String> MODEL_COMMANDS =
      java.util.Set.of(
          "quickstart",
          "local",
          "stream",
          "train",
          "trainer",
          "classify",
          "explain",
          "evaluate",
          "bench");

  /**
   * The one start-up line for {@code args}, or null: only for commands that run the model, only
   * when the CPU lacks the vector extension of the documented figures, not with {@code
   * CANDOR_CPU_NOTICE=off}.
   */
  static String startupNotice(
      String[] args, java.util.Set<String> cpuFlags, String cpu, String switchValue) {
    if (args.length == 0 || !MODEL_COMMANDS.contains(args[0]) || "off".equals(switchValue)) {
      return null;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return null;
      }
    }
    return MachineInfo.missingExtensionNotice(cpuFlags, cpu);
  }

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    String notice =
        startupNotice(
            args,
            MachineInfo.cpuFlags(),
            MachineInfo.cpuModel(),
            System.getenv("CANDOR_CPU_NOTICE"));
    if (notice != null) {
      System.err.println(notice);
    }
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
