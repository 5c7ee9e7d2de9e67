package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.model.CandorModel;
import dev.candor.model.DeviceChoice;
import dev.candor.model.TestModels;
import dev.candor.model.data.Example;
import dev.candor.model.explain.Prediction;
import dev.candor.model.train.LabelledScoring;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.schemas.avro.ModelUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@Timeout(300)
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerIT {
  private static final AtomicInteger TOPIC_SEQ = new AtomicInteger();
  private static final String[] GOOD = {"lovely", "kind", "great", "sweet", "happy", "calm"};
  private static final String[] BAD = {"stupid", "idiot", "trash", "filthy", "ugly", "vile"};

  @TempDir Path tmp;

  private Topics topics(EmbeddedKafka kafka) {
    String prefix = "it" + TOPIC_SEQ.incrementAndGet() + ".";
    Topics t = Topics.builder().optPrefix(prefix).build();
    kafka.createTopic(t.feedback().name(), 1, false);
    kafka.createTopic(t.modelUpdates().name(), 1, true);
    kafka.createTopic(t.deadLetters().name(), 1, false);
    return t;
  }

  private Map<String, Object> baseConfig(EmbeddedKafka kafka, Topics t, Path seed) {
    Map<String, Object> c = new HashMap<>();
    c.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(TrainerConfig.TOPIC_PREFIX_CONFIG, t.feedback().name().replace("feedback", ""));
    c.put(TrainerConfig.REGISTRY_DIR_CONFIG, tmp.resolve("registry").toString());
    c.put(TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG, seed.toString());
    c.put(TrainerConfig.DEVICE_CONFIG, "cpu");
    c.put(TrainerConfig.EPOCHS_CONFIG, "3");
    c.put(TrainerConfig.LEARNING_RATE_CONFIG, "0.005");
    c.put(TrainerConfig.BATCH_SIZE_CONFIG, "8");
    c.put(TrainerConfig.GATE_EXPLAIN_SIZE_CONFIG, "10");
    return c;
  }

  private static String text(int i, boolean toxic) {
    String[] words = toxic ? BAD : GOOD;
    return "you are " + words[i % words.length] + " and " + words[(i + 1) % words.length];
  }

  private static void send(
      EmbeddedKafka kafka, String topic, List<ProducerRecord<String, byte[]>> records)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : records) {
        producer.send(new ProducerRecord<>(topic, r.key(), r.value())).get();
      }
    }
  }

  private static byte[] encode(Feedback f) {
    return AvroSerdes.of(Feedback.class).serializer().serialize("x", f);
  }

  private static Feedback feedback(String id, String text, String label, List<CharSpan> spans) {
    return Feedback.newBuilder()
        .setId(id)
        .setReviewer("ann")
        .setCreatedAtMs(System.currentTimeMillis())
        .setFeedbackId(id + "-ann")
        .setAction(spans.isEmpty() ? FeedbackAction.RELABEL : FeedbackAction.MARK_SPURIOUS)
        .setLabel(label)
        .setText(text)
        .setSpuriousSpans(spans)
        .build();
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafka kafka, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static List<String> updates(EmbeddedKafka kafka, Topics t) {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readAll(kafka, t.modelUpdates().name())) {
      out.add(
          AvroSerdes.of(ModelUpdate.class).deserializer().deserialize("x", r.value()).getVersion());
    }
    return out;
  }

  @Test
  void shouldTrainGatePromoteAndPublishOnceAndDeadLetterBadFeedback(EmbeddedKafka kafka)
      throws Exception {
    Topics t = topics(kafka);
    Path seed = tmp.resolve("seed");
    TestModels.writeBundle(seed, true, 1.5, 1);
    List<ProducerRecord<String, byte[]>> in = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      boolean toxic = i % 2 == 0;
      String text = "<user> " + text(i, toxic);
      List<CharSpan> spans = i % 3 == 0 ? List.of(new CharSpan(0, 6)) : List.of();
      in.add(
          new ProducerRecord<>(
              "x", "t" + i, encode(feedback("t" + i, text, toxic ? "toxic" : "normal", spans))));
    }
    in.add(new ProducerRecord<>("x", "bad1", "garbage".getBytes(StandardCharsets.UTF_8)));
    in.add(new ProducerRecord<>("x", "bad2", encode(feedback("bad2", null, "toxic", List.of()))));
    in.add(
        new ProducerRecord<>(
            "x", "bad3", encode(feedback("bad3", "short", "toxic", List.of(new CharSpan(2, 99))))));
    in.add(
        new ProducerRecord<>(
            "x", "bad4", encode(feedback("bad4", "some text", "spam", List.of()))));
    send(kafka, t.feedback().name(), in);

    Map<String, Object> c = baseConfig(kafka, t, seed);
    c.put(TrainerConfig.HOLDOUT_FRACTION_CONFIG, "0.3");
    for (String f : TrainerConfig.GATE_FIGURES) {
      c.put(TrainerConfig.TOLERANCE_PREFIX + f.replace('_', '.'), "1.0");
    }
    TrainerConfig config = new TrainerConfig(c);
    RoundOutcome outcome;
    try (Trainer trainer =
        new Trainer(config, ModelRegistry.open(config.registryDir()), Trainer.Listener.NONE)) {
      trainer.start();
      assertEquals(28, trainer.newFeedback());
      outcome = trainer.runRound();
      assertEquals(0, trainer.newFeedback());
    }
    assertEquals("v0002", outcome.version());
    assertEquals(VersionRecord.Decision.PROMOTE, outcome.decision(), outcome.reasons().toString());
    assertTrue(outcome.published());
    assertTrue(outcome.counts().get("augmented_rows") > 0, outcome.counts().toString());
    ModelRegistry registry = ModelRegistry.open(config.registryDir());
    assertEquals("v0002", registry.current().orElseThrow());
    VersionRecord record = registry.record("v0002").orElseThrow();
    assertEquals(Map.of(0, 28L), record.feedbackOffsets());
    assertEquals("v0001", record.parent());
    List<String> versions = updates(kafka, t);
    assertEquals(2, versions.size(), versions.toString());
    assertTrue(versions.get(0).startsWith("v0001@"));
    assertEquals(record.bundleVersion(), versions.get(1));

    List<ConsumerRecord<String, byte[]>> dead = readAll(kafka, t.deadLetters().name());
    List<String> reasons = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> d : dead) {
      reasons.add(DeadLetterHeaders.get(d.headers(), DeadLetterHeaders.REASON));
      assertEquals(
          t.feedback().name(), DeadLetterHeaders.get(d.headers(), DeadLetterHeaders.SOURCE_TOPIC));
    }
    assertEquals(
        List.of("MALFORMED", "UNKNOWN_TEXT", "SPAN_OUT_OF_RANGE", "UNKNOWN_LABEL"), reasons);

    // restart: nothing to publish again, nothing new to train on
    try (Trainer again =
        new Trainer(config, ModelRegistry.open(config.registryDir()), Trainer.Listener.NONE)) {
      again.start();
      assertEquals(0, again.newFeedback());
    }
    assertEquals(2, updates(kafka, t).size());
  }

  @Test
  void shouldRefuseAWorseCandidateAndNeverPublishIt(EmbeddedKafka kafka) throws Exception {
    Topics t = topics(kafka);
    Path seed = tmp.resolve("seed");
    TestModels.writeBundle(seed, true, 1.5, 2);
    // validation labels = production's own predictions: production scores accuracy 1.0
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      texts.add(text(i, i % 2 == 0) + " number " + i);
    }
    int[] predicted = new int[texts.size()];
    try (CandorModel prod = CandorModel.load(seed, DeviceChoice.CPU)) {
      List<Example> rows = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        rows.add(new Example("v" + i, texts.get(i), 0, null));
      }
      List<Prediction> p = LabelledScoring.predict(prod, rows, 16, d -> {});
      for (int i = 0; i < texts.size(); i++) {
        predicted[i] = p.get(i).predicted();
      }
    }
    StringBuilder val = new StringBuilder();
    List<ProducerRecord<String, byte[]>> in = new ArrayList<>();
    String[] names = {"normal", "toxic"};
    for (int i = 0; i < texts.size(); i++) {
      val.append(
          String.format(
              "{\"id\":\"v%d\",\"text\":\"%s\",\"label\":%d,\"label_name\":\"%s\"}%n",
              i, texts.get(i), predicted[i], names[predicted[i]]));
      // reviewers "say" the opposite of what production predicts, on the same texts
      in.add(
          new ProducerRecord<>(
              "x",
              "f" + i,
              encode(feedback("f" + i, texts.get(i), names[1 - predicted[i]], List.of()))));
    }
    Path valFile = tmp.resolve("val.jsonl");
    Files.writeString(valFile, val.toString());
    send(kafka, t.feedback().name(), in);

    Map<String, Object> c = baseConfig(kafka, t, seed);
    c.put(TrainerConfig.HOLDOUT_FRACTION_CONFIG, "0.0");
    c.put(TrainerConfig.VALIDATION_FILE_CONFIG, valFile.toString());
    c.put(TrainerConfig.EPOCHS_CONFIG, "8");
    c.put(TrainerConfig.LEARNING_RATE_CONFIG, "0.01");
    c.put(TrainerConfig.TOLERANCE_PREFIX + "accuracy", "0.0");
    TrainerConfig config = new TrainerConfig(c);
    RoundOutcome outcome;
    try (Trainer trainer =
        new Trainer(config, ModelRegistry.open(config.registryDir()), Trainer.Listener.NONE)) {
      trainer.start();
      outcome = trainer.runRound();
    }
    assertEquals(1.0, outcome.production().get("accuracy"), 1e-12);
    assertEquals(VersionRecord.Decision.REFUSE, outcome.decision(), outcome.candidate().toString());
    assertTrue(
        outcome.reasons().get(0).startsWith("accuracy: candidate"), outcome.reasons().toString());
    ModelRegistry registry = ModelRegistry.open(config.registryDir());
    assertEquals("v0001", registry.current().orElseThrow());
    assertEquals(VersionRecord.Decision.REFUSE, registry.record("v0002").orElseThrow().decision());
    assertEquals(1, updates(kafka, t).size()); // only the bootstrap version
  }

  @Test
  void shouldFinishAPromotionInterruptedByACrashAndPublishItOnce(EmbeddedKafka kafka)
      throws Exception {
    Topics t = topics(kafka);
    Path seed = tmp.resolve("seed");
    TestModels.writeBundle(seed, true, 1.5, 3);
    List<ProducerRecord<String, byte[]>> in = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      in.add(
          new ProducerRecord<>(
              "x",
              "c" + i,
              encode(
                  feedback(
                      "c" + i, text(i, i % 2 == 0), i % 2 == 0 ? "toxic" : "normal", List.of()))));
    }
    send(kafka, t.feedback().name(), in);
    Map<String, Object> c = baseConfig(kafka, t, seed);
    c.put(TrainerConfig.HOLDOUT_FRACTION_CONFIG, "0.3");
    for (String f : TrainerConfig.GATE_FIGURES) {
      c.put(TrainerConfig.TOLERANCE_PREFIX + f.replace('_', '.'), "1.0");
    }
    TrainerConfig config = new TrainerConfig(c);
    ModelRegistry.FaultHook crashAfterSwitch =
        step -> {
          if (step.equals("current-replaced")) {
            throw new IOException("simulated crash at " + step);
          }
        };
    try (Trainer first = new Trainer(config, ModelRegistry.open(config.registryDir()), null)) {
      first.start();
      ModelRegistry crashing = ModelRegistry.open(config.registryDir(), crashAfterSwitch);
      try (Trainer crashy = new Trainer(config, crashing, null)) {
        assertThrows(IOException.class, crashy::runRound);
      }
    }
    assertEquals(1, updates(kafka, t).size()); // the crash came before the announcement
    ModelRegistry registry = ModelRegistry.open(config.registryDir());
    assertEquals("v0002", registry.current().orElseThrow());
    try (Trainer restarted = new Trainer(config, registry, null)) {
      restarted.start();
      assertEquals(0, restarted.newFeedback());
    }
    List<String> versions = updates(kafka, t);
    assertEquals(2, versions.size());
    // a crash after the send but before the registry noted it: the restart must not resend
    registry.makeCurrent("v0002"); // CURRENT back to "not published"
    assertNull(
        new ModelUpdatePublisher(kafka.bootstrapServers(), t.modelUpdates(), "default")
            .publishPending(registry));
    assertEquals(versions, updates(kafka, t));
    assertNotNull(registry.state().orElseThrow());
    assertTrue(registry.state().orElseThrow().published());
  }
}
