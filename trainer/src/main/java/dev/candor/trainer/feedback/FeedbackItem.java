package dev.candor.trainer.feedback;

import dev.candor.schemas.avro.FeedbackAction;
import java.util.List;
import java.util.Objects;

/**
 * One validated feedback record: its text resolved, its action derived (version-1 records have
 * none) and its spans checked against the text.
 *
 * @param textId the record key (id of the text)
 * @param reviewer who gave it
 * @param action what the reviewer did (never null or UNKNOWN)
 * @param label the label the reviewer says is right (CONFIRM: the predicted label), or null
 * @param text the text the spans refer to
 * @param spans marked spans, UTF-16 indices into {@code text}, start inclusive, end exclusive
 * @param feedbackId unique id of the judgement, or null (version 1)
 * @param createdAtMs when it was given
 * @param partition topic partition it was read from
 * @param offset offset it was read at
 */
public record FeedbackItem(
    String textId,
    String reviewer,
    FeedbackAction action,
    String label,
    String text,
    List<Span> spans,
    String feedbackId,
    long createdAtMs,
    int partition,
    long offset) {

  public FeedbackItem {
    Objects.requireNonNull(textId, "textId");
    Objects.requireNonNull(reviewer, "reviewer");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(text, "text");
    spans = List.copyOf(spans);
  }

  /** A marked span of the text in UTF-16 chars, {@code [start, end)}. */
  public record Span(int start, int end) {}
}
