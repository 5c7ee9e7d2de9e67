package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.kafka.ChildJvm;
import dev.candor.kafka.EmbeddedKafka;
import dev.candor.kafka.EmbeddedKafkaExtension;
import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.schemas.Topics;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.schemas.avro.ModelUpdate;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the trainer with real SIGKILLs: {@link KillableTrainerMain} runs in a child JVM
 * against the broker of this test and is killed mid-round (inside the fine-tuning) and at each step
 * of a promotion (bundle written; record written; {@code CURRENT} replaced; update sent but not
 * noted). After each kill the registry on disk is consistent (the current version has a record and
 * a verifying bundle; no half-written version is current), {@code recover()} on a copy of it does
 * what docs/feedback-loop.md says, the restarted trainer resumes from the offsets of the last
 * recorded round, and {@code candor.model-updates} holds each promoted version once.
 */
@Tag("integration")
@Tag("slow")
@Timeout(600)
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerKillIT {
  private static final String[] GOOD = {"lovely", "kind", "great", "sweet", "happy", "calm"};
  private static final String[] BAD = {"stupid", "idiot", "trash", "filthy", "ugly", "vile"};
  private static final Duration START = Duration.ofSeconds(120);

  @TempDir Path tmp;

  private final List<ChildJvm> children = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private EmbeddedKafka kafka;
  private Topics topics;
  private Path configFile;
  private Path registryDir;
  private int runs;

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (ChildJvm c : children) {
      c.destroy();
    }
    events.forEach(e -> System.out.println("TrainerKillIT " + e));
  }

  @Test
  void shouldKeepTheRegistryConsistentAndPublishEachVersionOnceAcrossSigkills(EmbeddedKafka k)
      throws Exception {
    // Given: a tiny production bundle, 16 feedback records and a malformed one, a trainer that
    // promotes any candidate
    kafka = k;
    topics = Topics.builder().optPrefix("kill.").build();
    kafka.createTopic(topics.feedback().name(), 1, false);
    kafka.createTopic(topics.modelUpdates().name(), 1, true);
    kafka.createTopic(topics.deadLetters().name(), 1, false);
    Path seed = tmp.resolve("seed");
    TestModels.writeBundle(seed, true, 1.5, 7);
    registryDir = tmp.resolve("registry");
    Properties p = new Properties();
    p.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(TrainerConfig.TOPIC_PREFIX_CONFIG, "kill.");
    p.put(TrainerConfig.REGISTRY_DIR_CONFIG, registryDir.toString());
    p.put(TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG, seed.toString());
    p.put(TrainerConfig.DEVICE_CONFIG, "cpu");
    p.put(TrainerConfig.EPOCHS_CONFIG, "3");
    p.put(TrainerConfig.LEARNING_RATE_CONFIG, "0.005");
    p.put(TrainerConfig.BATCH_SIZE_CONFIG, "4");
    p.put(TrainerConfig.GATE_EXPLAIN_SIZE_CONFIG, "8");
    p.put(TrainerConfig.HOLDOUT_FRACTION_CONFIG, "0.3");
    for (String f : TrainerConfig.GATE_FIGURES) {
      p.put(TrainerConfig.TOLERANCE_PREFIX + f.replace('_', '.'), "1.0");
    }
    configFile = tmp.resolve("trainer.properties");
    try (Writer w = Files.newBufferedWriter(configFile)) {
      p.store(w, "TrainerKillIT");
    }
    sendFeedback(0, 16);
    send("bad", "not a Feedback record".getBytes(StandardCharsets.UTF_8)); // offset 16

    // (a) killed inside the fine-tuning of the first round
    ChildJvm c = start("-", 300);
    c.awaitLine("STEP 2/", START);
    kill(c, "mid-round (fine-tuning step 2)");
    assertConsistent("v0001", true);
    assertFalse(Files.exists(registryDir.resolve("records/v0002.json")));
    assertEquals(List.of(), recoverCopy().notes());
    String v1 = ModelRegistry.open(registryDir).record("v0001").orElseThrow().bundleVersion();
    assertEquals(List.of(v1), announced());

    // (b1) killed with the bundle written, before its record
    c = start("bundle-written", 0);
    c.awaitLine("FAULT-POINT bundle-written", START);
    kill(c, "bundle written, no record");
    assertTrue(c.log().contains("STARTED current=v0001 published=true new=17"), c.log());
    assertTrue(Files.isDirectory(registryDir.resolve("versions/v0002")));
    assertConsistent("v0001", true);
    Recovered r = recoverCopy();
    assertEquals(List.of("deleted v0002: bundle without record (round interrupted)"), r.notes());
    assertEquals("v0001", r.state().current());
    assertEquals(List.of(v1), announced());

    // (b2) killed with the PROMOTE record written, before CURRENT
    c = start("record-written", 0);
    c.awaitLine("FAULT-POINT record-written", START);
    kill(c, "record written, CURRENT not replaced");
    assertTrue(c.log().contains("STARTED current=v0001 published=true new=17"), c.log());
    assertTrue(
        c.log().contains("deleted v0002: bundle without record (round interrupted)"), c.log());
    assertEquals(
        VersionRecord.Decision.PROMOTE,
        ModelRegistry.open(registryDir).record("v0002").orElseThrow().decision());
    assertConsistent("v0001", true);
    r = recoverCopy();
    assertEquals(List.of("completed the promotion of v0002"), r.notes());
    assertEquals("v0002", r.state().current());
    assertFalse(r.state().published());
    assertEquals(List.of(v1), announced());

    // restart: completes the promotion, announces v0002, and finds nothing new to train on
    c = start("-", 0);
    assertEquals(0, c.awaitExit(START), c.log());
    events.add("restart: " + line(c, "registry recovery") + " / " + line(c, "STARTED"));
    assertTrue(c.log().contains("completed the promotion of v0002"), c.log());
    assertTrue(c.log().contains("STARTED current=v0002 published=true new=0"), c.log());
    assertFalse(c.log().contains("ROUND "), c.log());
    VersionRecord v2 = ModelRegistry.open(registryDir).record("v0002").orElseThrow();
    assertEquals(Map.of(0, 17L), v2.feedbackOffsets());
    assertEquals(List.of(v1, v2.bundleVersion()), announced());

    // (b3) 8 more records; killed after the update was sent, before CURRENT notes it
    sendFeedback(16, 8);
    c = start("announced", 0);
    c.awaitLine("FAULT-POINT announced", START);
    kill(c, "update sent, not noted in CURRENT");
    assertTrue(c.log().contains("STARTED current=v0002 published=true new=8"), c.log());
    assertConsistent("v0003", false);
    VersionRecord v3 = ModelRegistry.open(registryDir).record("v0003").orElseThrow();
    assertEquals("v0002", v3.parent());
    assertEquals(Map.of(0, 25L), v3.feedbackOffsets());
    assertEquals(List.of(), recoverCopy().notes());
    assertEquals(List.of(v1, v2.bundleVersion(), v3.bundleVersion()), announced());

    // restart: notes the announcement instead of sending it again
    c = start("-", 0);
    assertEquals(0, c.awaitExit(START), c.log());
    assertTrue(c.log().contains(v3.bundleVersion() + " was already announced"), c.log());
    assertTrue(c.log().contains("STARTED current=v0003 published=true new=0"), c.log());
    assertEquals(List.of(v1, v2.bundleVersion(), v3.bundleVersion()), announced());

    // (b4) 8 more records; killed with CURRENT replaced, before the update was sent
    sendFeedback(24, 8);
    c = start("current-replaced", 0);
    c.awaitLine("FAULT-POINT current-replaced", START);
    kill(c, "CURRENT replaced, update not sent");
    assertTrue(c.log().contains("STARTED current=v0003 published=true new=8"), c.log());
    assertConsistent("v0004", false);
    assertEquals(List.of(), recoverCopy().notes());
    assertEquals(List.of(v1, v2.bundleVersion(), v3.bundleVersion()), announced());

    // restart: announces v0004 once
    c = start("-", 0);
    assertEquals(0, c.awaitExit(START), c.log());
    assertTrue(c.log().contains("STARTED current=v0004 published=true new=0"), c.log());
    VersionRecord v4 = ModelRegistry.open(registryDir).record("v0004").orElseThrow();
    assertEquals(Map.of(0, 33L), v4.feedbackOffsets());
    List<String> all = announced();
    assertEquals(List.of(v1, v2.bundleVersion(), v3.bundleVersion(), v4.bundleVersion()), all);
    assertEquals(all.size(), all.stream().distinct().count(), "each version announced once");
    assertEquals(
        List.of("v0001", "v0002", "v0003", "v0004"),
        ModelRegistry.open(registryDir).state().orElseThrow().history());
    events.add("model-updates: " + all);

    // the malformed record was dead-lettered once, although three rounds that read it were killed
    List<ConsumerRecord<String, byte[]>> dead = readAll(topics.deadLetters().name());
    events.add("dead letters: " + dead.size());
    assertEquals(1, dead.size(), "dead letters");
    assertEquals(
        "MALFORMED", DeadLetterHeaders.get(dead.get(0).headers(), DeadLetterHeaders.REASON));
    assertEquals(
        "16", DeadLetterHeaders.get(dead.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET));
  }

  private record Recovered(List<String> notes, RegistryState state) {}

  /** What {@code recover()} does to a copy of the registry as the kill left it. */
  private Recovered recoverCopy() throws IOException {
    Path copy = tmp.resolve("copy-" + runs);
    try (Stream<Path> s = Files.walk(registryDir)) {
      for (Path f : s.toList()) {
        Path to = copy.resolve(registryDir.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    ModelRegistry reg = ModelRegistry.open(copy);
    List<String> notes = reg.recover();
    events.add("  recover() on a copy: " + notes);
    return new Recovered(notes, reg.state().orElseThrow());
  }

  /** The registry as the kill left it: its current version is whole and recorded. */
  private void assertConsistent(String current, boolean published) throws IOException {
    ModelRegistry reg = ModelRegistry.open(registryDir);
    RegistryState s = reg.state().orElseThrow();
    assertEquals(current, s.current());
    assertEquals(published, s.published());
    VersionRecord rec = reg.record(current).orElseThrow();
    assertTrue(
        rec.decision() == VersionRecord.Decision.PROMOTE
            || rec.decision() == VersionRecord.Decision.BOOTSTRAP,
        rec.decision().toString());
    assertEquals(rec.sha256(), ModelBundle.verify(reg.bundleDir(current)));
  }

  private ChildJvm start(String haltAt, long stepDelayMs) throws IOException {
    runs++;
    ChildJvm c =
        ChildJvm.start(
            KillableTrainerMain.class.getName(),
            List.of("-Xmx768m"),
            List.of(configFile.toString(), haltAt, Long.toString(stepDelayMs)),
            tmp.resolve("trainer-" + runs + ".log"));
    children.add(c);
    return c;
  }

  private void kill(ChildJvm c, String where) throws InterruptedException {
    int status = c.kill();
    assertEquals(ChildJvm.SIGKILL_EXIT, status, "not ended by SIGKILL; log:\n" + c.log());
    events.add("run " + runs + ": SIGKILL " + where + " (exit " + status + ")");
  }

  private static String line(ChildJvm c, String text) {
    return c.log().lines().filter(l -> l.contains(text)).findFirst().orElse("(none)");
  }

  private void sendFeedback(int from, int count) throws Exception {
    for (int i = from; i < from + count; i++) {
      boolean toxic = i % 2 == 0;
      String[] words = toxic ? BAD : GOOD;
      String text = "<user> you are " + words[i % 6] + " and " + words[(i + 1) % 6];
      Feedback f =
          Feedback.newBuilder()
              .setId("k" + i)
              .setReviewer("ann")
              .setCreatedAtMs(System.currentTimeMillis())
              .setFeedbackId("k" + i + "-ann")
              .setAction(i % 3 == 0 ? FeedbackAction.MARK_SPURIOUS : FeedbackAction.RELABEL)
              .setLabel(toxic ? "toxic" : "normal")
              .setText(text)
              .setSpuriousSpans(i % 3 == 0 ? List.of(new CharSpan(0, 6)) : List.of())
              .build();
      send("k" + i, AvroSerdes.of(Feedback.class).serializer().serialize("x", f));
    }
  }

  private void send(String key, byte[] value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topics.feedback().name(), key, value)).get();
    }
  }

  /** Versions on candor.model-updates, in order. */
  private List<String> announced() {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readAll(topics.modelUpdates().name())) {
      out.add(
          AvroSerdes.of(ModelUpdate.class).deserializer().deserialize("x", r.value()).getVersion());
    }
    return out;
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
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
}
