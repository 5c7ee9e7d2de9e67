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

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
