package dev.candor.trainer.internals;

import dev.candor.model.provenance.Hashing;
import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.trainer.feedback.FeedbackItem;
import dev.candor.trainer.feedback.FeedbackRejection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns raw feedback records into {@link FeedbackItem}s or rejections with a reason. Never throws
 * for bad input.
 *
 * <p>A record without text is resolved from another record of the same text id that carries the
 * text (with a matching hash when the record gives one): the feedback topic is the text store the
 * trainer keeps.
 */
public final class FeedbackValidator {
  private final Deserializer<Feedback> deserializer;
  private final Set<String> labels;

  public FeedbackValidator(Deserializer<Feedback> deserializer, List<String> labels) {
    this.deserializer = deserializer;
    this.labels = Set.copyOf(labels);
  }

  /** A record that was not used, and why. */
  public record Rejected(
      ConsumerRecord<String, byte[]> record, FeedbackRejection reason, String detail) {}

  /** The outcome for a batch of records. */
  public record Outcome(List<FeedbackItem> items, List<Rejected> rejected) {}

  public Outcome validate(List<ConsumerRecord<String, byte[]>> records) {
    List<Feedback> decoded = new ArrayList<>(records.size());
    List<Rejected> rejected = new ArrayList<>();
    Map<String, List<String>> texts = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      Feedback f = null;
      if (r.value() != null) {
        try {
          f = deserializer.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
          rejected.add(
              new Rejected(r, FeedbackRejection.MALFORMED, String.valueOf(e.getMessage())));
          decoded.add(null);
          continue;
        }
      }
      if (f == null) {
        rejected.add(new Rejected(r, FeedbackRejection.MALFORMED, "empty value"));
      } else if (r.key() != null && f.getText() != null) {
        texts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(f.getText());
      }
      decoded.add(f);
    }
    List<FeedbackItem> items = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      Feedback f = decoded.get(i);
      if (f == null) {
        continue;
      }
      ConsumerRecord<String, byte[]> r = records.get(i);
      try {
        items.add(check(r, f, texts.getOrDefault(r.key(), List.of())));
      } catch (RejectedException e) {
        rejected.add(new Rejected(r, e.reason, e.getMessage()));
      }
    }
    return new Outcome(items, rejected);
  }

  private FeedbackItem check(ConsumerRecord<String, byte[]> r, Feedback f, List<String> known)
      throws RejectedException {
    if (r.key() == null
        || r.key().isBlank()
        || f.getReviewer() == null
        || f.getReviewer().isBlank()) {
      throw new RejectedException(FeedbackRejection.MISSING_KEY, "no text id key or no reviewer");
    }
    if (r.key() != null && !r.key().equals(f.getId())) {
      throw new RejectedException(
          FeedbackRejection.MISSING_KEY, "record key differs from the feedback's text id");
    }
    String text = resolveText(f, known);
    FeedbackAction action = action(f);
    String label = f.getLabel();
    if (label == null && action == FeedbackAction.CONFIRM) {
      label = f.getPredictedLabel();
    }
    if (label == null && action == FeedbackAction.MARK_SPURIOUS) {
      label = f.getPredictedLabel(); // the reviewer did not dispute the label they saw
    }
    if (label != null && !labels.contains(label)) {
      throw new RejectedException(
          FeedbackRejection.UNKNOWN_LABEL, "label '" + label + "' is not one of " + labels);
    }
    if (action == FeedbackAction.RELABEL && label == null) {
      throw new RejectedException(FeedbackRejection.UNKNOWN_LABEL, "RELABEL without a label");
    }
    List<FeedbackItem.Span> spans = new ArrayList<>();
    for (CharSpan s : f.getSpuriousSpans()) {
      if (s.getStart() < 0 || s.getEnd() <= s.getStart() || s.getEnd() > text.length()) {
        throw new RejectedException(
            FeedbackRejection.SPAN_OUT_OF_RANGE,
            "span ["
                + s.getStart()
                + ", "
                + s.getEnd()
                + ") outside a text of "
                + text.length()
                + " chars");
      }
      spans.add(new FeedbackItem.Span(s.getStart(), s.getEnd()));
    }
    if (spans.isEmpty()) {
      for (String token : f.getSpuriousTokens()) {
        List<FeedbackItem.Span> found = wordSpans(text, token);
        if (found.isEmpty()) {
          throw new RejectedException(
              FeedbackRejection.UNMATCHED_TOKEN, "spurious token does not occur in the text");
        }
        spans.addAll(found);
      }
    }
    return new FeedbackItem(
        r.key(),
        f.getReviewer(),
        action,
        label,
        text,
        spans,
        f.getFeedbackId(),
        f.getCreatedAtMs(),
        r.partition(),
        r.offset());
  }

  private static String resolveText(Feedback f, List<String> known) throws RejectedException {
    String hash = f.getTextSha256() == null ? null : f.getTextSha256().toLowerCase(Locale.ROOT);
    if (f.getText() != null) {
      if (hash != null && !hash.equals(sha256(f.getText()))) {
        throw new RejectedException(
            FeedbackRejection.TEXT_HASH_MISMATCH, "text does not hash to textSha256");
      }
      return f.getText();
    }
    for (String candidate : known) {
      if (hash == null || hash.equals(sha256(candidate))) {
        return candidate;
      }
    }
    throw new RejectedException(
        FeedbackRejection.UNKNOWN_TEXT,
        hash == null
            ? "no text and no record of this text id carries it"
            : "no text and no record of this text id carries one with the given sha256");
  }

  /**
   * Version-1 records have no action: RELABEL with a label, MARK_SPURIOUS with tokens, else
   * CONFIRM.
   */
  static FeedbackAction action(Feedback f) throws RejectedException {
    FeedbackAction a = f.getAction();
    if (a == FeedbackAction.UNKNOWN) {
      throw new RejectedException(
          FeedbackRejection.UNKNOWN_ACTION, "action unknown to this reader");
    }
    if (a != null) {
      return a;
    }
    if (f.getLabel() != null) {
      return FeedbackAction.RELABEL;
    }
    if (!f.getSpuriousTokens().isEmpty() || !f.getSpuriousSpans().isEmpty()) {
      return FeedbackAction.MARK_SPURIOUS;
    }
    return FeedbackAction.CONFIRM;
  }

  /** Case-insensitive whole-word occurrences of {@code token} in {@code text}. */
  static List<FeedbackItem.Span> wordSpans(String text, String token) {
    List<FeedbackItem.Span> out = new ArrayList<>();
    if (token == null || token.isBlank()) {
      return out;
    }
    Matcher m =
        Pattern.compile(
                "(?<![\\p{L}\\p{N}])" + Pattern.quote(token.strip()) + "(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
            .matcher(text);
    while (m.find()) {
      out.add(new FeedbackItem.Span(m.start(), m.end()));
    }
    return out;
  }

  static String sha256(String text) {
    return Hashing.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final class RejectedException extends Exception {
    private final FeedbackRejection reason;

    RejectedException(FeedbackRejection reason, String detail) {
      super(detail);
      this.reason = reason;
    }
  }
}
