package dev.candor.trainer.feedback;

import java.util.List;

/**
 * What the feedback on one text amounts to after {@link FeedbackResolver} has applied the rule.
 *
 * @param textId id of the text
 * @param text the text
 * @param label the majority label of the reviewers' current judgements, or null when none gave one
 * @param spans union of the current judgements' spurious spans, sorted, overlaps merged
 * @param reviewers reviewers whose judgement counts (latest per reviewer, not retracted)
 */
public record ResolvedText(
    String textId,
    String text,
    String label,
    List<FeedbackItem.Span> spans,
    List<String> reviewers) {

  public ResolvedText {
    spans = List.copyOf(spans);
    reviewers = List.copyOf(reviewers);
  }
}
