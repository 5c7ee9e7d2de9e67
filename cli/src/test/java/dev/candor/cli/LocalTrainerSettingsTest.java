package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.DeviceChoice;
import dev.candor.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code candor local --trainer-config FILE -T key=value}: validated, and passed to the child. */
class LocalTrainerSettingsTest {
  @TempDir Path tmp;

  @Test
  void shouldHandTheFileAndThePairsToTheTrainerChildWhichReadsThemAsCandorTrainerDoes()
      throws IOException {
    // Given: a file, and -T pairs that override one of its keys and one that local derives
    Path file = tmp.resolve("trainer.properties");
    Files.writeString(file, "candor.round.min.feedback=7\ncandor.train.threads=2\n");
    Map<String, String> pairs = new LinkedHashMap<>();
    pairs.put("candor.train.threads", "1");
    pairs.put("candor.device", "cpu");

    // When
    Map<String, String> settings = LocalTrainer.settings(file, pairs, tmp, Map.of());
    List<String> cmd =
        LocalTrainer.command(
            "127.0.0.1:9999", tmp.resolve("registry"), tmp.resolve("b"), null, "auto", 0, settings);

    // Then: the child's own command line parser (candor trainer) ends on those values
    assertEquals(1, cmd.stream().filter(a -> a.startsWith("-Dcandor.device=")).count(), "" + cmd);
    List<String> trainerArgs = cmd.subList(cmd.indexOf("trainer") + 1, cmd.size());
    TrainerCommand child = new TrainerCommand();
    new CommandLine(child).parseArgs(trainerArgs.toArray(String[]::new));
    TrainerConfig config = TrainerConfig.load(child.config, child.settings(), Map.of());
    assertEquals(7, config.roundMinFeedback());
    assertEquals(1, config.threads());
    assertEquals(DeviceChoice.CPU, config.device());
    assertEquals("127.0.0.1:9999", config.bootstrapServers());
    assertEquals(tmp.resolve("registry"), config.registryDir());
  }

  @Test
  void shouldRefuseUnknownOwnedOrInvalidTrainerSettingsBeforeAnythingStarts() throws IOException {
    Path bad = tmp.resolve("bad.properties");
    Files.writeString(bad, "candor.train.epochs=zero\n");
    String[][] cases = {
      {"-T", "candor.round.min.feedbak=3"},
      {"-T", "candor.registry.dir=/elsewhere"},
      {"--trainer-set", "candor.train.epochs=0"},
      {"--trainer-config", bad.toString()},
      {"--trainer-config", tmp.resolve("missing.properties").toString()},
      {"--no-trainer", "-T", "candor.round.min.feedback=3"},
    };
    String[] named = {
      "unknown trainer setting candor.round.min.feedbak",
      "candor.registry.dir is set by candor local itself",
      "Invalid value 0 for configuration candor.train.epochs",
      "Invalid value zero for configuration candor.train.epochs",
      "Cannot read config file " + tmp.resolve("missing.properties"),
      "--trainer-config / -T given together with --no-trainer",
    };
    for (int i = 0; i < cases.length; i++) {
      Path home = tmp.resolve("home" + i);
      StringWriter err = new StringWriter();
      CommandLine cl = CandorCommand.commandLine();
      cl.setOut(new PrintWriter(new StringWriter()));
      cl.setErr(new PrintWriter(err));
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "local",
                  "--home",
                  home.toString(),
                  "--model",
                  tmp.resolve("no-model").toString(),
                  "--port",
                  "0",
                  "--metrics-port",
                  "0",
                  "--dashboard-port",
                  "-1",
                  "--duration",
                  "1"));
      args.addAll(List.of(cases[i]));
      int code = cl.execute(args.toArray(String[]::new));
      assertEquals(2, code, String.join(" ", cases[i]) + ": " + err);
      assertTrue(err.toString().contains(named[i]), String.join(" ", cases[i]) + ": " + err);
      assertFalse(Files.exists(home), "nothing may start: " + home);
    }
  }
}
