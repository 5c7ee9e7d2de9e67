package dev.candor.model.explain;

import dev.candor.model.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/** Sums word-piece contributions into words (consecutive tokens with the same word id). */
final class Words {
  private Words() {}

  static List<WordAttribution> aggregate(TokenizedText t, double[] contributions) {
    List<WordAttribution> words = new ArrayList<>();
    int j = 0;
    while (j < t.length()) {
      if (t.special()[j] || t.wordIds()[j] < 0) {
        j++;
        continue;
      }
      int word = t.wordIds()[j];
      int start = t.starts()[j];
      int end = t.ends()[j];
      double sum = 0;
      while (j < t.length() && !t.special()[j] && t.wordIds()[j] == word) {
        end = Math.max(end, t.ends()[j]);
        sum += contributions[j];
        j++;
      }
      words.add(new WordAttribution(t.text().substring(start, end), start, end, sum));
    }
    return List.copyOf(words);
  }
}
