package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.trainer.ModelRegistry;
import dev.candor.trainer.RoundOutcome;
import dev.candor.trainer.Trainer;
import dev.candor.trainer.TrainerConfig;
import dev.candor.trainer.VersionRecord;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on a real broker: a running stream app, feedback in, a trainer round that trains,
 * gates, promotes and publishes, and predictions of the running stream that carry the new version.
 */
@Tag("integration")
class TrainerStreamIT {
  @TempDir Path tmp;

  private static boolean predictedWith(String servers, String version) {
    CliTest.Run more = CliTest.run("produce", "-b", servers, "is this still explained");
    assertEquals(0, more.code(), more.err());
    CliTest.Run all =
        CliTest.run(
            "consume",
            "-b",
            servers,
            "--from-beginning",
            "--max",
            "1000",
            "--timeout",
            "3",
            "--json");
    return all.out().contains("\"modelVersion\": \"" + version + "\"");
  }

  @Test
  @Timeout(400)
  void shouldServeTheVersionATrainerRoundPromoted() throws Exception {
    Path bundle = TinyBundle.write(tmp.resolve("tiny"), 11);
    try (StreamStack stack =
        StreamStack.start(0, bundle, "cpu", Map.of("candor.metrics.port", 0))) {
      String servers = stack.bootstrapServers();
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      try (KafkaProducer<String, Feedback> producer =
          new KafkaProducer<>(
              p, new StringSerializer(), AvroSerdes.of(Feedback.class).serializer())) {
        for (int i = 0; i < 20; i++) {
          boolean toxic = i % 2 == 0;
          producer.send(
              new ProducerRecord<>(
                  stack.topics().feedback().name(),
                  "t" + i,
                  Feedback.newBuilder()
                      .setId("t" + i)
                      .setReviewer("ann")
                      .setCreatedAtMs(i)
                      .setFeedbackId("t" + i + "-ann")
                      .setAction(FeedbackAction.RELABEL)
                      .setLabel(toxic ? "toxic" : "normal")
                      .setText((toxic ? "you stupid idiot " : "what a lovely day ") + i)
                      .build()));
        }
      }
      Map<String, String> c = new HashMap<>();
      c.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      c.put(TrainerConfig.REGISTRY_DIR_CONFIG, tmp.resolve("registry").toString());
      c.put(TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG, bundle.toString());
      c.put(TrainerConfig.DEVICE_CONFIG, "cpu");
      c.put(TrainerConfig.HOLDOUT_FRACTION_CONFIG, "0.3");
      c.put(TrainerConfig.LEARNING_RATE_CONFIG, "0.005");
      c.put(TrainerConfig.GATE_EXPLAIN_SIZE_CONFIG, "8");
      for (String f : TrainerConfig.GATE_FIGURES) {
        c.put(TrainerConfig.TOLERANCE_PREFIX + f.replace('_', '.'), "1.0");
      }
      TrainerConfig config = new TrainerConfig(c);
      RoundOutcome outcome;
      try (Trainer trainer =
          new Trainer(config, ModelRegistry.open(config.registryDir()), Trainer.Listener.NONE)) {
        trainer.start();
        outcome = trainer.runRound();
      }
      assertEquals(
          VersionRecord.Decision.PROMOTE, outcome.decision(), outcome.reasons().toString());
      String version =
          ModelRegistry.open(config.registryDir())
              .record(outcome.version())
              .orElseThrow()
              .bundleVersion();
      boolean swapped = false;
      long deadline = System.currentTimeMillis() + 90_000;
      while (!swapped && System.currentTimeMillis() < deadline) {
        swapped = predictedWith(servers, version);
      }
      assertTrue(swapped, "no prediction by " + version);
    }
  }
}
