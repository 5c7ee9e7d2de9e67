package dev.candor.cli;

import dev.candor.stream.StreamApp;
import dev.candor.stream.StreamAppConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Only the stream app, against any Kafka cluster. */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description =
        "Run the explaining stream app against existing Kafka topics. Settings come from"
            + " --config (properties, candor.* keys) with environment overrides such as"
            + " CANDOR_BOOTSTRAP_SERVERS and CANDOR_MAX_BATCH_SIZE.")
final class StreamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", description = "properties file with candor.* keys")
  Path config;

  @Option(names = "--print-config-reference", description = "print every key with its doc and exit")
  boolean reference;

  @Override
  public Integer call() throws Exception {
    if (reference) {
      spec.commandLine().getOut().println(StreamAppConfig.configDef().toRst());
      return 0;
    }
    StreamAppConfig c =
        config != null
            ? StreamAppConfig.load(config)
            : StreamAppConfig.fromProperties(Map.of(), System.getenv());
    StreamApp app = StreamApp.create(c);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "candor-stream-shutdown"));
    app.start();
    spec.commandLine()
        .getErr()
        .println(
            "stream app running with model "
                + app.model().version()
                + " against "
                + c.bootstrapServers()
                + "; Ctrl-C stops it");
    app.awaitTermination();
    return app.state() == KafkaStreams.State.ERROR ? 1 : 0;
  }
}
