package dev.candor.dashboard.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.dashboard.internals.Model.QueueFilter;
import dev.candor.dashboard.internals.Model.QueuePage;
import dev.candor.dashboard.internals.Model.Review;
import dev.candor.dashboard.internals.Model.Reviewed;
import dev.candor.dashboard.internals.Model.Span;
import dev.candor.dashboard.internals.Model.StoredItem;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The same store tests for every database: subclasses supply a fresh, migrated one. */
abstract class ReviewStoreContract {
  private final FlagValidator validator = new FlagValidator(10_000, Set.of());

  abstract ReviewStore store();

  StoredItem item(String id, String text, String label, String type) {
    FlagValidator.Result r = validator.validate(Records.flagged(id, text, label, type, 1));
    assertTrue(r.ok(), r.reason());
    return r.item();
  }

  QueueFilter all(int page) {
    return new QueueFilter(null, null, null, Reviewed.ANY, null, page, 2);
  }

  @Test
  void shouldUpsertIdempotentlyAndKeepFirstReceivedTime() throws Exception {
    ReviewStore s = store();
    assertEquals(
        ReviewStore.Upsert.INSERTED,
        s.upsert(item("a", "you are nice", "normal", "identity-term"), 1000));
    assertEquals(
        ReviewStore.Upsert.UPDATED,
        s.upsert(item("a", "you are nice", "normal", "special-token-mass"), 5000));
    StoredItem got = s.item("a").orElseThrow();
    assertEquals(1000, got.receivedAtMs(), "re-delivery keeps the first received time");
    assertEquals(1, got.flags().size(), "flags replaced, not duplicated");
    assertEquals("special-token-mass", got.flags().get(0).type());
    assertEquals("you are nice", got.text());
    assertEquals(3, got.words().size());
    assertEquals(5, got.tokens().size());
    assertEquals(1, s.count("items"));
  }

  @Test
  void shouldPageNewestFirstAndFilter() throws Exception {
    ReviewStore s = store();
    s.upsert(item("1", "first text here", "normal", "identity-term"), 1000);
    s.upsert(item("2", "second text here", "offensive", "special-token-mass"), 2000);
    s.upsert(item("3", "third 100% text_here", "offensive", "identity-term"), 3000);
    QueuePage p1 = s.queue(all(1));
    assertEquals(3, p1.total());
    assertEquals(2, p1.pages());
    assertEquals(List.of("3", "2"), p1.rows().stream().map(Model.QueueRow::id).toList());
    assertEquals(List.of("1"), s.queue(all(2)).rows().stream().map(Model.QueueRow::id).toList());
    assertEquals(
        List.of("3", "1"),
        ids(s.queue(new QueueFilter("identity-term", null, null, Reviewed.ANY, null, 1, 10))));
    assertEquals(
        List.of("3", "2"),
        ids(s.queue(new QueueFilter(null, "offensive", null, Reviewed.ANY, null, 1, 10))));
    assertEquals(List.of("2"), search(s, "SECOND"));
    assertEquals(List.of("3"), search(s, "third here"));
    assertEquals(List.of("3", "2", "1"), search(s, "text  HERE"));
    assertEquals(List.of("2"), search(s, "sec*"));
    assertEquals(List.of("3"), search(s, "100"));
    assertEquals(List.of("3"), search(s, "thi*"));
    assertEquals(List.of(), search(s, "tex"), "whole words unless * is given");
    assertEquals(List.of(), search(s, "%_*"), "no letters or digits: nothing");
    assertEquals(
        List.of(), ids(s.queue(new QueueFilter(null, null, "v9", Reviewed.ANY, null, 1, 10))));
    assertEquals(List.of("identity-term", "special-token-mass"), s.distinct("flag_type"));
  }

  @Test
  void shouldKeepModelVersionsWithTheirGateFiguresNewestFirst() throws Exception {
    ReviewStore s = store();
    s.recordModelVersion(
        new Model.ModelVersion("v0001", "default", Map.of("accuracy", 0.74), 1_000));
    s.recordModelVersion(
        new Model.ModelVersion("v0002", "default", Map.of("accuracy", 0.75, "comp", 0.4), 2_000));
    // a re-delivered announcement replaces, not duplicates
    s.recordModelVersion(
        new Model.ModelVersion("v0002", "default", Map.of("accuracy", 0.75, "comp", 0.4), 2_000));

    List<Model.ModelVersion> versions = s.modelVersions(10);

    assertEquals(
        List.of("v0002", "v0001"), versions.stream().map(Model.ModelVersion::version).toList());
    assertEquals(Map.of("accuracy", 0.75, "comp", 0.4), versions.get(0).metrics());
  }

  @Test
  void shouldTrackReviewsAndRetract() throws Exception {
    ReviewStore s = store();
    s.upsert(item("x", "go back home now", "offensive", "identity-term"), 1000);
    s.upsert(item("y", "all fine", "normal", "identity-term"), 1001);
    s.recordReview(
        new Review("f1", "x", "alice", "MARK_SPURIOUS", null, List.of(new Span(3, 7)), 2000, null));
    assertEquals("MARK_SPURIOUS", s.item("x").orElseThrow().reviewAction());
    assertEquals(
        List.of("x"), ids(s.queue(new QueueFilter(null, null, null, Reviewed.YES, null, 1, 10))));
    assertEquals(
        List.of("y"), ids(s.queue(new QueueFilter(null, null, null, Reviewed.NO, null, 1, 10))));
    s.recordReview(new Review("f2", "x", "bob", "CONFIRM", "offensive", List.of(), 2500, null));
    s.recordReview(new Review("f3", "x", "bob", "RETRACT", null, List.of(), 3000, null));
    StoredItem x = s.item("x").orElseThrow();
    assertEquals("MARK_SPURIOUS", x.reviewAction(), "alice's action stands after bob's retract");
    assertEquals("alice", x.reviewedBy());
    assertEquals(3, x.reviews().size());
    assertEquals(List.of(new Span(3, 7)), x.reviews().get(0).spans());
    assertNull(x.reviews().get(0).retractedAtMs());
    assertEquals(3000L, x.reviews().get(1).retractedAtMs());
    s.recordReview(new Review("f4", "x", "alice", "RETRACT", null, List.of(), 4000, null));
    assertNull(s.item("x").orElseThrow().reviewAction());
  }

  @Test
  void shouldCountFlagsByDetectorAndTopTokens() throws Exception {
    ReviewStore s = store();
    s.upsert(item("1", "they are muslims", "offensive", "identity-term"), 3_600_000);
    s.upsert(item("2", "those are muslims too", "offensive", "identity-term"), 3_600_500);
    s.upsert(item("3", "hello there friend", "normal", "special-token-mass"), 7_300_000);
    s.recordPrediction("1", "v1", "offensive", true, 3_600_000);
    s.recordPrediction("1", "v1", "offensive", true, 3_600_001); // re-delivery: still one
    s.recordPrediction("9", "v1", "normal", false, 3_600_002);
    var rates = s.flagsByDetector(0, 3_600_000);
    assertEquals(2, rates.size());
    assertEquals(new Model.RateBucket("identity-term", 3_600_000, 2), rates.get(0));
    assertEquals(new Model.RateBucket("special-token-mass", 7_200_000, 1), rates.get(1));
    assertEquals(2L, s.predictionsPerBucket(0, 3_600_000).get(3_600_000L));
    var top = s.topTokens(10);
    // word 1 of each text is flagged: "are", "are", "there"
    assertEquals("are", top.get(0).token());
    assertEquals(2, top.get(0).flags());
    assertEquals(0.0, top.get(0).meanAttribution(), 1e-12);
    assertFalse(top.isEmpty());
  }

  @Test
  void shouldStoreHostileTextVerbatim() throws Exception {
    ReviewStore s = store();
    String text = "<script>alert('x')</script> \"quoted\" & emoji 😀 ünïcödé";
    s.upsert(item("h", text, "normal", "identity-term"), 1);
    assertEquals(text, s.item("h").orElseThrow().text());
  }

  private static List<String> search(ReviewStore s, String q) throws Exception {
    return ids(s.queue(new QueueFilter(null, null, null, Reviewed.ANY, q, 1, 10)));
  }

  private static List<String> ids(QueuePage p) {
    return p.rows().stream().map(Model.QueueRow::id).toList();
  }
}
