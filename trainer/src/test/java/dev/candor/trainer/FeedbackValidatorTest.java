package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.candor.model.provenance.Hashing;
import dev.candor.schemas.AvroSerdes;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.feedback.FeedbackRejection;
import dev.candor.trainer.internals.FeedbackValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class FeedbackValidatorTest {
  private static final Serde<Feedback> SERDE = AvroSerdes.of(Feedback.class);
  private static final String TEXT = "<user> i love this song";
  private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

  private Feedback.Builder base(String id) {
    return Feedback.newBuilder()
        .setId(id)
        .setReviewer("ann")
        .setCreatedAtMs(1L)
        .setFeedbackId("f" + records.size());
  }

  private void add(String key, Feedback f) {
    add(key, SERDE.serializer().serialize("t", f));
  }

  private void add(String key, byte[] value) {
    records.add(new ConsumerRecord<>("candor.feedback", 0, records.size(), key, value));
  }

  private FeedbackValidator.Outcome validate() {
    return new FeedbackValidator(SERDE.deserializer(), List.of("normal", "toxic"))
        .validate(records);
  }

  @Test
  void shouldRejectEachKindOfBadInputWithItsReason() {
    add("t1", "not avro at all".getBytes(StandardCharsets.UTF_8)); // malformed
    add("t2", base("t2").setAction(FeedbackAction.RELABEL).setLabel("toxic").build()); // no text
    add(
        "t3",
        base("t3")
            .setAction(FeedbackAction.MARK_SPURIOUS)
            .setLabel("normal")
            .setText(TEXT)
            .setSpuriousSpans(List.of(new CharSpan(0, TEXT.length() + 1)))
            .build()); // span beyond the text
    add("t4", base("t4").setAction(FeedbackAction.RELABEL).setLabel("spam").setText(TEXT).build());
    add(
        "t5",
        base("t5")
            .setAction(FeedbackAction.CONFIRM)
            .setLabel("normal")
            .setText(TEXT)
            .setTextSha256(Hashing.sha256("another text".getBytes(StandardCharsets.UTF_8)))
            .build());
    add(null, base("t6").setLabel("normal").setText(TEXT).build());
    add(
        "t7",
        base("t7").setLabel("normal").setText(TEXT).setSpuriousTokens(List.of("zebra")).build());
    FeedbackValidator.Outcome out = validate();
    assertEquals(0, out.items().size(), out.items().toString());
    List<FeedbackRejection> reasons = out.rejected().stream().map(r -> r.reason()).toList();
    assertEquals(
        List.of(
            FeedbackRejection.MALFORMED,
            FeedbackRejection.UNKNOWN_TEXT,
            FeedbackRejection.SPAN_OUT_OF_RANGE,
            FeedbackRejection.UNKNOWN_LABEL,
            FeedbackRejection.TEXT_HASH_MISMATCH,
            FeedbackRejection.MISSING_KEY,
            FeedbackRejection.UNMATCHED_TOKEN),
        reasons);
  }

  @Test
  void shouldResolveTextByHashFromAnotherRecordOfTheSameId() {
    add(
        "t1",
        base("t1")
            .setAction(FeedbackAction.CONFIRM)
            .setPredictedLabel("normal")
            .setText(TEXT)
            .build());
    add(
        "t1",
        base("t1")
            .setReviewer("bob")
            .setAction(FeedbackAction.MARK_SPURIOUS)
            .setPredictedLabel("normal")
            .setTextSha256(Hashing.sha256(TEXT.getBytes(StandardCharsets.UTF_8)))
            .setSpuriousSpans(List.of(new CharSpan(0, 6)))
            .build());
    FeedbackValidator.Outcome out = validate();
    assertEquals(List.of(), out.rejected());
    assertEquals(2, out.items().size());
    FeedbackItem bob = out.items().get(1);
    assertEquals(TEXT, bob.text());
    assertEquals("normal", bob.label());
    assertEquals(List.of(new FeedbackItem.Span(0, 6)), bob.spans());
  }

  @Test
  void shouldReadVersionOneRecordsWithDerivedActionAndTokenSpans() {
    add(
        "t1",
        Feedback.newBuilder()
            .setId("t1")
            .setReviewer("ann")
            .setCreatedAtMs(1L)
            .setLabel("normal")
            .setText("Muslims are people, muslims too")
            .setSpuriousTokens(List.of("muslims"))
            .build());
    FeedbackItem item = validate().items().get(0);
    assertEquals(FeedbackAction.RELABEL, item.action());
    assertEquals(List.of(new FeedbackItem.Span(0, 7), new FeedbackItem.Span(20, 27)), item.spans());
  }
}
