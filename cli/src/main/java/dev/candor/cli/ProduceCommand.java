package dev.candor.cli;

import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.TextSubmitted;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Sends texts to the input topic, for users without Kafka tools. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = "Send texts (arguments, --file of lines or JSONL, or stdin) to candor.texts.")
final class ProduceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KafkaOptions kafka;
  @Mixin TextInput input;

  @Option(
      names = "--format",
      defaultValue = "avro",
      description =
          "avro (TextSubmitted, single-object encoding), json or text (default: ${DEFAULT-VALUE})")
  String format;

  @Override
  public Integer call() throws Exception {
    if (!List.of("avro", "json", "text").contains(format)) {
      throw new IllegalArgumentException("--format must be avro, json or text");
    }
    List<String> texts = input.read(System.in);
    String topic = Topics.builder().optPrefix(kafka.topicPrefix).build().texts().name();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    Serializer<TextSubmitted> avro = AvroSerdes.of(TextSubmitted.class).serializer();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (String text : texts) {
        String id = UUID.randomUUID().toString();
        byte[] value =
            switch (format) {
              case "avro" ->
                  avro.serialize(
                      topic,
                      TextSubmitted.newBuilder()
                          .setId(id)
                          .setText(text)
                          .setSubmittedAtMs(System.currentTimeMillis())
                          .setSource("candor-cli")
                          .build());
              case "json" ->
                  JsonOutput.JSON.writeValueAsBytes(
                      JsonOutput.JSON.createObjectNode().put("id", id).put("text", text));
              default -> text.getBytes(StandardCharsets.UTF_8);
            };
        producer.send(new ProducerRecord<>(topic, id, value)).get(30, TimeUnit.SECONDS);
        spec.commandLine().getOut().println(id);
      }
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException(
          "could not send to " + topic + " at " + kafka.bootstrapServers + ": " + e.getMessage());
    }
    spec.commandLine().getErr().printf("sent %d texts to %s%n", texts.size(), topic);
    return 0;
  }
}
