package dev.candor.model.tokenize;

/**
 * One text as the model sees it.
 *
 * @param text the original Java string
 * @param ids token ids, [CLS] first and [SEP] last
 * @param tokens token strings
 * @param starts UTF-16 start index into {@code text} per token; -1 for special tokens
 * @param ends UTF-16 end index (exclusive); -1 for special tokens
 * @param special true for [CLS], [SEP] and other added special tokens
 * @param wordIds index of the word each token belongs to; -1 for special tokens
 * @param truncated true when tokens beyond the maximum length were dropped
 * @param droppedTokens how many content tokens were dropped
 */
public record TokenizedText(
    String text,
    long[] ids,
    String[] tokens,
    int[] starts,
    int[] ends,
    boolean[] special,
    int[] wordIds,
    boolean truncated,
    int droppedTokens) {

  public int length() {
    return ids.length;
  }
}
