package dev.candor.cli;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.ModelUpdate;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Announces a verified bundle on the model-updates topic; running stream apps swap to it. */
@Command(
    name = "publish-model",
    mixinStandardHelpOptions = true,
    description =
        "Verify a bundle and publish it on candor.model-updates: running stream apps load"
            + " it off their processing thread and switch between batches.")
final class PublishModelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KafkaOptions kafka;

  @Option(
      names = "--bundle",
      required = true,
      description = "bundle directory (must be readable" + " at the same path by the stream apps)")
  Path bundle;

  @Option(
      names = "--model-name",
      defaultValue = "default",
      description = "record key: stream apps with candor.model.name set apply only their name")
  String modelName;

  @Override
  public Integer call() throws Exception {
    ModelBundle b = ModelBundle.read(bundle.toAbsolutePath());
    Map<String, Double> metrics = new HashMap<>();
    if (b.metrics().get("validation") instanceof Map<?, ?> v) {
      for (String k : new String[] {"accuracy", "macro_f1", "auroc"}) {
        if (v.get(k) instanceof Number n) {
          metrics.put(k, n.doubleValue());
        }
      }
    }
    ModelUpdate update =
        ModelUpdate.newBuilder()
            .setModelName(modelName)
            .setVersion(b.version())
            .setUri(b.dir().toString())
            .setSha256(b.manifestSha256())
            .setMetrics(metrics)
            .setCreatedAtMs(System.currentTimeMillis())
            .build();
    String topic = Topics.builder().optPrefix(kafka.topicPrefix).build().modelUpdates().name();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    try (KafkaProducer<String, ModelUpdate> producer =
        new KafkaProducer<>(
            p, new StringSerializer(), AvroSerdes.of(ModelUpdate.class).serializer())) {
      producer.send(new ProducerRecord<>(topic, modelName, update)).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException(
          "could not publish to "
              + topic
              + " at "
              + kafka.bootstrapServers
              + ": "
              + e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .println("published " + b.version() + " (sha256 " + b.manifestSha256() + ") on " + topic);
    return 0;
  }
}
