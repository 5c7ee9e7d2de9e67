package dev.candor.trainer.feedback;

/** Why a feedback record was not used; the dead letter's reason header carries the name. */
public enum FeedbackRejection {
  /** The value is not a decodable Feedback record. */
  MALFORMED,
  /** The record has no key (text id) or no reviewer. */
  MISSING_KEY,
  /** The record carries no text and no other record for its text id does (with a matching hash). */
  UNKNOWN_TEXT,
  /** The text does not hash to the record's textSha256. */
  TEXT_HASH_MISMATCH,
  /** A spurious span lies outside the text or is empty. */
  SPAN_OUT_OF_RANGE,
  /** The label (or, for CONFIRM, the predicted label) is not one of the model's labels. */
  UNKNOWN_LABEL,
  /** The action is one this trainer does not know (read as UNKNOWN). */
  UNKNOWN_ACTION,
  /** A version-1 spurious token does not occur in the text as a word. */
  UNMATCHED_TOKEN
}
