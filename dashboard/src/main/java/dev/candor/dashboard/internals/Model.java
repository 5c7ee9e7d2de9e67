package dev.candor.dashboard.internals;

import java.util.List;
import java.util.Map;

/** The dashboard's stored shapes (rows and their JSON parts). */
public final class Model {
  private Model() {}

  /** A UTF-16 char span of a text, end exclusive. */
  public record Span(int start, int end) {}

  /** A model token with its attribution; special tokens have start = end = -1. */
  public record Tok(String token, int start, int end, boolean special, double attribution) {}

  /** A word of the text with the summed attribution of its tokens. */
  public record Word(String word, int start, int end, double attribution) {}

  /** A flag as stored. */
  public record StoredFlag(
      String type, String detail, double score, int tokenIndex, List<Span> spans) {}

  /** A reviewer action as stored. */
  public record Review(
      String feedbackId,
      String itemId,
      String reviewer,
      String action,
      String label,
      List<Span> spans,
      long createdAtMs,
      Long retractedAtMs) {}

  /** One flagged item with everything the item page shows. */
  public record StoredItem(
      String id,
      String modelVersion,
      String label,
      double labelScore,
      List<String> labels,
      List<Double> scores,
      int explainedLabelIndex,
      String text,
      String textSha256,
      List<Tok> tokens,
      List<Word> words,
      double completenessResidual,
      boolean truncated,
      long submittedAtMs,
      long receivedAtMs,
      List<StoredFlag> flags,
      String reviewAction,
      String reviewedBy,
      List<Review> reviews) {}

  /** One row of the queue. */
  public record QueueRow(
      String id,
      String modelVersion,
      String label,
      double labelScore,
      String snippet,
      String flagTypes,
      long receivedAtMs,
      String reviewAction) {}

  /** Which reviewed state the queue shows. */
  public enum Reviewed {
    ANY,
    YES,
    NO
  }

  /**
   * Queue filters; {@code null} or empty strings mean "any".
   *
   * @param page 1-based
   */
  public record QueueFilter(
      String flagType,
      String label,
      String modelVersion,
      Reviewed reviewed,
      String query,
      int page,
      int pageSize) {}

  /** One page of the queue. */
  public record QueuePage(List<QueueRow> rows, long total, int page, int pageSize) {
    /**
     * @return the number of pages (at least 1)
     */
    public long pages() {
      return Math.max(1, (total + pageSize - 1) / pageSize);
    }
  }

  /** Flags raised by one detector in one time bucket, and predictions seen in it. */
  public record RateBucket(String flagType, long bucketStartMs, long flags) {}

  /** A token by how often flags point at it, with its mean attribution there. */
  public record TokenStat(String token, long flags, double meanAttribution) {}

  /** A model version announced on the model-updates topic, with its gate figures by name. */
  public record ModelVersion(
      String version, String modelName, Map<String, Double> metrics, long createdAtMs) {}
}
