package dev.candor.cli;

import picocli.CommandLine.Option;

/** {@code --bootstrap-servers} and {@code --topic-prefix}, shared by the Kafka commands. */
final class KafkaOptions {
  static final String LOCAL_BOOTSTRAP = "127.0.0.1:9092";

  @Option(
      names = {"-b", "--bootstrap-servers"},
      defaultValue = "${env:CANDOR_BOOTSTRAP_SERVERS:-" + LOCAL_BOOTSTRAP + "}",
      description =
          "Kafka bootstrap servers (default: $CANDOR_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(
      names = "--topic-prefix",
      defaultValue = "candor.",
      description = "prefix of the Candor topics (default: ${DEFAULT-VALUE})")
  String topicPrefix;
}
