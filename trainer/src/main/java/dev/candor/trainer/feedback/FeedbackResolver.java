package dev.candor.trainer.feedback;

import dev.candor.schemas.avro.FeedbackAction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one implementation of the feedback resolution rule documented in {@code Feedback.avsc}:
 *
 * <ol>
 *   <li>records with the same {@code feedbackId} are one judgement delivered more than once: the
 *       first delivery (lowest partition, offset) counts, the rest are dropped;
 *   <li>per (text id, reviewer) only the latest judgement counts (by {@code createdAtMs}, then by
 *       position in the topic); a RETRACT as latest judgement withdraws that reviewer's say;
 *   <li>the text's label is the majority of the counting judgements' labels (DISMISS and
 *       MARK_SPURIOUS without a label do not vote); a tie goes to the label of the most recent
 *       judgement among the tied labels;
 *   <li>the spurious spans are the union of the counting judgements' spans, except DISMISS ones (a
 *       dismissed flag carries no training signal).
 * </ol>
 *
 * A text whose counting judgements are all DISMISS (or none are left) resolves to nothing.
 */
public final class FeedbackResolver {
  private FeedbackResolver() {}

  /** Order of "later": creation time, then position in the topic. */
  private static final Comparator<FeedbackItem> CHRONOLOGICAL =
      Comparator.comparingLong(FeedbackItem::createdAtMs)
          .thenComparingInt(FeedbackItem::partition)
          .thenComparingLong(FeedbackItem::offset);

  /**
   * Applies the rule.
   *
   * @param items validated feedback in any order
   * @return one entry per text with a training signal (a label or spans), ordered by text id
   */
  public static List<ResolvedText> resolve(List<FeedbackItem> items) {
    List<FeedbackItem> inTopicOrder = new ArrayList<>(items);
    inTopicOrder.sort(
        Comparator.comparingInt(FeedbackItem::partition).thenComparingLong(FeedbackItem::offset));
    Set<String> seenIds = new HashSet<>();
    Map<String, Map<String, FeedbackItem>> latest = new TreeMap<>();
    for (FeedbackItem item : inTopicOrder) {
      if (item.feedbackId() != null && !seenIds.add(item.feedbackId())) {
        continue; // a re-delivery of a judgement already counted
      }
      Map<String, FeedbackItem> byReviewer =
          latest.computeIfAbsent(item.textId(), k -> new LinkedHashMap<>());
      FeedbackItem before = byReviewer.get(item.reviewer());
      if (before == null || CHRONOLOGICAL.compare(item, before) >= 0) {
        byReviewer.put(item.reviewer(), item);
      }
    }
    List<ResolvedText> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, FeedbackItem>> e : latest.entrySet()) {
      List<FeedbackItem> counting = new ArrayList<>();
      for (FeedbackItem item : e.getValue().values()) {
        if (item.action() != FeedbackAction.RETRACT) {
          counting.add(item);
        }
      }
      counting.sort(CHRONOLOGICAL);
      String label = majority(counting);
      List<FeedbackItem.Span> spans = new ArrayList<>();
      List<String> reviewers = new ArrayList<>();
      String text = null;
      for (FeedbackItem item : counting) {
        reviewers.add(item.reviewer());
        text = item.text();
        if (item.action() != FeedbackAction.DISMISS) {
          spans.addAll(item.spans());
        }
      }
      List<FeedbackItem.Span> merged = merge(spans);
      if (label == null && merged.isEmpty()) {
        continue;
      }
      out.add(new ResolvedText(e.getKey(), text, label, merged, reviewers));
    }
    return out;
  }

  private static String majority(List<FeedbackItem> chronological) {
    Map<String, Integer> votes = new HashMap<>();
    Map<String, Integer> lastSeen = new HashMap<>();
    for (int i = 0; i < chronological.size(); i++) {
      FeedbackItem item = chronological.get(i);
      if (item.action() == FeedbackAction.DISMISS || item.label() == null) {
        continue;
      }
      votes.merge(item.label(), 1, Integer::sum);
      lastSeen.put(item.label(), i);
    }
    String best = null;
    for (String label : votes.keySet()) {
      if (best == null
          || votes.get(label) > votes.get(best)
          || (votes.get(label).equals(votes.get(best))
              && lastSeen.get(label) > lastSeen.get(best))) {
        best = label;
      }
    }
    return best;
  }

  static List<FeedbackItem.Span> merge(List<FeedbackItem.Span> spans) {
    List<FeedbackItem.Span> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingInt(FeedbackItem.Span::start));
    List<FeedbackItem.Span> out = new ArrayList<>();
    for (FeedbackItem.Span s : sorted) {
      if (!out.isEmpty() && s.start() <= out.get(out.size() - 1).end()) {
        FeedbackItem.Span last = out.remove(out.size() - 1);
        out.add(new FeedbackItem.Span(last.start(), Math.max(last.end(), s.end())));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
