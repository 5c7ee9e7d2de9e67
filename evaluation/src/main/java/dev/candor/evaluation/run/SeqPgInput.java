package dev.candor.evaluation.run;

import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * Two texts as one SeqPG input: {@code [CLS] a₁…a_k b₁…b_k [SEP]}, each text cut to its first
 * {@code maxContent} word-pieces. Offsets and word ids of the second text are shifted so the
 * combined text stays a valid {@link TokenizedText} of {@code a.text + " " + b.text}.
 *
 * @param startA first position of text A; the segments are [startA, endA) and [startB, endB)
 */
record SeqPgInput(TokenizedText text, int startA, int endA, int startB, int endB) {

  static SeqPgInput concatenate(TokenizedText a, TokenizedText b, int maxContent) {
    List<Integer> ca = content(a, maxContent);
    List<Integer> cb = content(b, maxContent);
    int n = 2 + ca.size() + cb.size();
    long[] ids = new long[n];
    String[] tokens = new String[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    boolean[] special = new boolean[n];
    int[] wordIds = new int[n];
    copy(a, 0, ids, tokens, starts, ends, special, wordIds, 0, 0, 0);
    int p = 1;
    for (int j : ca) {
      copy(a, j, ids, tokens, starts, ends, special, wordIds, p++, 0, 0);
    }
    int charShift = a.text().length() + 1;
    int wordShift = 0;
    for (int j : ca) {
      wordShift = Math.max(wordShift, a.wordIds()[j] + 1);
    }
    for (int j : cb) {
      copy(b, j, ids, tokens, starts, ends, special, wordIds, p++, charShift, wordShift);
    }
    copy(a, a.length() - 1, ids, tokens, starts, ends, special, wordIds, p, 0, 0);
    TokenizedText t =
        new TokenizedText(
            a.text() + " " + b.text(), ids, tokens, starts, ends, special, wordIds, false, 0);
    return new SeqPgInput(t, 1, 1 + ca.size(), 1 + ca.size(), 1 + ca.size() + cb.size());
  }

  private static List<Integer> content(TokenizedText t, int max) {
    List<Integer> out = new ArrayList<>();
    for (int j = 0; j < t.length() && out.size() < max; j++) {
      if (!t.special()[j]) {
        out.add(j);
      }
    }
    return out;
  }

  private static void copy(
      TokenizedText from,
      int j,
      long[] ids,
      String[] tokens,
      int[] starts,
      int[] ends,
      boolean[] special,
      int[] wordIds,
      int to,
      int charShift,
      int wordShift) {
    ids[to] = from.ids()[j];
    tokens[to] = from.tokens()[j];
    boolean s = from.special()[j];
    special[to] = s;
    starts[to] = s ? -1 : from.starts()[j] + charShift;
    ends[to] = s ? -1 : from.ends()[j] + charShift;
    wordIds[to] = s ? -1 : from.wordIds()[j] + wordShift;
  }
}
