package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.feedback.FeedbackResolver;
import dev.candor.trainer.feedback.ResolvedText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackResolverTest {
  private static final String TEXT = "muslims are ruining this country";
  private long offset;

  private FeedbackItem item(
      String id,
      String reviewer,
      FeedbackAction action,
      String label,
      long at,
      String fid,
      FeedbackItem.Span... spans) {
    return new FeedbackItem(
        id, reviewer, action, label, TEXT, List.of(spans), fid, at, 0, offset++);
  }

  @Test
  void shouldCollapseRedeliveriesOfOneFeedbackId() {
    List<FeedbackItem> in = new ArrayList<>();
    in.add(item("t1", "ann", FeedbackAction.RELABEL, "normal", 10, "f1"));
    in.add(item("t1", "bob", FeedbackAction.RELABEL, "toxic", 11, "f2"));
    // f2 delivered twice more: it must still be one vote, so normal vs toxic ties → most recent
    in.add(item("t1", "bob", FeedbackAction.RELABEL, "toxic", 11, "f2"));
    in.add(item("t1", "carl", FeedbackAction.RELABEL, "normal", 12, "f3"));
    List<ResolvedText> out = FeedbackResolver.resolve(in);
    assertEquals(1, out.size());
    assertEquals("normal", out.get(0).label()); // 2 normal (ann, carl) vs 1 toxic
    assertEquals(List.of("ann", "bob", "carl"), out.get(0).reviewers());
  }

  @Test
  void shouldCountOnlyTheLatestJudgementPerReviewer() {
    List<FeedbackItem> in = new ArrayList<>();
    in.add(item("t1", "ann", FeedbackAction.RELABEL, "toxic", 10, "a1"));
    in.add(item("t1", "ann", FeedbackAction.RELABEL, "normal", 20, "a2"));
    in.add(item("t1", "ann", FeedbackAction.RELABEL, "toxic", 15, "a3")); // older, arrived later
    assertEquals("normal", FeedbackResolver.resolve(in).get(0).label());
  }

  @Test
  void shouldWithdrawARetractedJudgement() {
    List<FeedbackItem> in = new ArrayList<>();
    in.add(item("t1", "ann", FeedbackAction.RELABEL, "toxic", 10, "a1"));
    in.add(item("t1", "bob", FeedbackAction.RELABEL, "normal", 11, "b1"));
    in.add(item("t1", "bob", FeedbackAction.RETRACT, null, 12, "b2"));
    List<ResolvedText> out = FeedbackResolver.resolve(in);
    assertEquals("toxic", out.get(0).label());
    assertEquals(List.of("ann"), out.get(0).reviewers());
    in.add(item("t1", "ann", FeedbackAction.RETRACT, null, 13, "a2"));
    assertTrue(FeedbackResolver.resolve(in).isEmpty());
  }

  @Test
  void shouldBreakATieByTheMostRecentJudgement() {
    List<FeedbackItem> in = new ArrayList<>();
    in.add(item("t1", "ann", FeedbackAction.RELABEL, "toxic", 10, "a1"));
    in.add(item("t1", "bob", FeedbackAction.RELABEL, "normal", 30, "b1"));
    in.add(item("t1", "carl", FeedbackAction.RELABEL, "toxic", 20, "c1"));
    in.add(item("t1", "dan", FeedbackAction.RELABEL, "normal", 5, "d1"));
    assertEquals("normal", FeedbackResolver.resolve(in).get(0).label());
  }

  @Test
  void shouldUniteSpansButIgnoreDismissals() {
    List<FeedbackItem> in = new ArrayList<>();
    in.add(
        item(
            "t1",
            "ann",
            FeedbackAction.MARK_SPURIOUS,
            "toxic",
            10,
            "a1",
            new FeedbackItem.Span(0, 4)));
    in.add(
        item(
            "t1",
            "bob",
            FeedbackAction.MARK_SPURIOUS,
            "toxic",
            11,
            "b1",
            new FeedbackItem.Span(2, 7),
            new FeedbackItem.Span(12, 19)));
    in.add(
        item("t1", "carl", FeedbackAction.DISMISS, null, 12, "c1", new FeedbackItem.Span(20, 24)));
    ResolvedText r = FeedbackResolver.resolve(in).get(0);
    assertEquals(List.of(new FeedbackItem.Span(0, 7), new FeedbackItem.Span(12, 19)), r.spans());
    assertEquals("toxic", r.label());
  }

  @Test
  void shouldDropTextsWithOnlyDismissals() {
    List<FeedbackItem> in = List.of(item("t1", "ann", FeedbackAction.DISMISS, null, 10, "a1"));
    assertTrue(FeedbackResolver.resolve(in).isEmpty());
  }
}
