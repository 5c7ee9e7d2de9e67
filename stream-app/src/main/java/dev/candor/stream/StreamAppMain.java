package dev.candor.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stream app until it is stopped: {@code java dev.candor.stream.StreamAppMain
 * stream-app.properties}. Environment variables such as {@code CANDOR_MAX_BATCH_SIZE} override the
 * file. SIGTERM/SIGINT close the app cleanly through a shutdown hook; the exit code is 0 after a
 * clean stop, 1 if Kafka Streams failed, 2 for a bad command line or config.
 */
public final class StreamAppMain {

  private static final Logger LOG = LoggerFactory.getLogger(StreamAppMain.class);

  private StreamAppMain() {}

  /**
   * Entry point.
   *
   * @param args one argument: the config properties file
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println(
          "usage: StreamAppMain <config.properties>"
              + (args.length == 1 ? "  (no such file: " + args[0] + ")" : ""));
      return 2;
    }
    StreamApp app;
    try {
      app = StreamApp.create(StreamAppConfig.load(Path.of(args[0])));
    } catch (ConfigException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      LOG.error("Cannot create the stream app", e);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "candor-shutdown"));
    try {
      app.start();
      app.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("Stream app failed", e);
      app.close();
      return 1;
    }
    return app.state() == KafkaStreams.State.ERROR ? 1 : 0;
  }
}
