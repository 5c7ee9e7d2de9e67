package dev.candor.model.tokenize;

import java.util.List;

/**
 * Texts padded to the longest one in the batch.
 *
 * @param texts the tokenized texts, in input order
 * @param ids {@code [batch][len]} token ids, padding with the pad id
 * @param lengths real tokens per text
 */
public record PaddedBatch(List<TokenizedText> texts, long[][] ids, int[] lengths) {

  public static PaddedBatch of(List<TokenizedText> texts, long padId) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one text");
    }
    int len = 0;
    for (TokenizedText t : texts) {
      len = Math.max(len, t.length());
    }
    long[][] ids = new long[texts.size()][len];
    int[] lengths = new int[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      long[] src = texts.get(i).ids();
      System.arraycopy(src, 0, ids[i], 0, src.length);
      for (int j = src.length; j < len; j++) {
        ids[i][j] = padId;
      }
      lengths[i] = src.length;
    }
    return new PaddedBatch(List.copyOf(texts), ids, lengths);
  }

  public int size() {
    return ids.length;
  }

  public int width() {
    return ids[0].length;
  }
}
