package dev.candor.cli;

import dev.candor.dashboard.Dashboard;
import dev.candor.dashboard.DashboardConfig;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The review dashboard against any Kafka cluster. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description =
        "Run the review dashboard: reads candor.flags into a database (H2 file by default,"
            + " PostgreSQL by JDBC URL), serves the review pages, writes reviewer actions to"
            + " candor.feedback. Settings come from --config (properties, candor.* keys), --set"
            + " key=value and environment overrides such as CANDOR_DASHBOARD_PORT.",
    subcommands = {DashboardCommand.HashPassword.class})
final class DashboardCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", description = "properties file with candor.* keys")
  Path config;

  @Option(
      names = "--set",
      description = "one setting, e.g. --set candor.dashboard.port=8081 (repeatable)")
  Map<String, String> set = new HashMap<>();

  @Option(names = "--print-config-reference", description = "print every key with its doc and exit")
  boolean reference;

  @Override
  public Integer call() throws Exception {
    if (reference) {
      spec.commandLine().getOut().println(DashboardConfig.configDef().toRst());
      return 0;
    }
    Properties p = new Properties();
    if (config != null) {
      p.putAll(DashboardConfig.load(config, Map.of()).originals());
    }
    p.putAll(set);
    DashboardConfig c = DashboardConfig.fromProperties(p, System.getenv());
    CountDownLatch stop = new CountDownLatch(1);
    try (Dashboard d = Dashboard.start(c)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "candor-dashboard-stop"));
      spec.commandLine()
          .getErr()
          .println(
              "dashboard at http://"
                  + c.host()
                  + ":"
                  + d.port()
                  + "/ reading "
                  + c.topics().flags().name()
                  + " from "
                  + c.bootstrapServers()
                  + "; Ctrl-C stops it");
      stop.await();
    }
    return 0;
  }

  /** Prints the bcrypt hash of a password, for candor.dashboard.users. */
  @Command(
      name = "hash-password",
      mixinStandardHelpOptions = true,
      description =
          "Read a password (from the console, or the first line of standard input) and print"
              + " its bcrypt hash for candor.dashboard.users=name:role:HASH.")
  static final class HashPassword implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      char[] pw;
      Console console = System.console();
      if (console != null) {
        pw = console.readPassword("password: ");
      } else {
        String line =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        pw = line == null ? new char[0] : line.toCharArray();
      }
      if (pw == null || pw.length < 8) {
        spec.commandLine().getErr().println("a password needs at least 8 characters");
        return 2;
      }
      spec.commandLine().getOut().println(Dashboard.hashPassword(pw));
      return 0;
    }
  }
}
