package dev.candor.dashboard.internals;

import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.ExplainedPrediction;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.schemas.avro.TokenAttribution;
import dev.candor.schemas.avro.WordAttribution;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds ExplainedPrediction records for tests: whitespace words, one token per word. */
public final class Records {
  private Records() {}

  /**
   * A flagged prediction of {@code text}; word i gets attribution {@code (i % 3 - 1) * 0.5}, and
   * one flag of {@code flagType} points at word {@code flagWord}.
   */
  public static ExplainedPrediction flagged(
      String id, String text, String label, String flagType, int flagWord) {
    List<WordAttribution> words = new ArrayList<>();
    List<TokenAttribution> tokens = new ArrayList<>();
    tokens.add(new TokenAttribution("[CLS]", -1, -1, true, 0.25));
    int i = 0;
    int pos = 0;
    for (String w : text.split(" ")) {
      int start = text.indexOf(w, pos);
      int end = start + w.length();
      pos = end;
      if (w.isEmpty()) {
        continue;
      }
      double a = (i % 3 - 1) * 0.5;
      words.add(new WordAttribution(w, start, end, a));
      tokens.add(new TokenAttribution(w.toLowerCase(), start, end, false, a));
      i++;
    }
    tokens.add(new TokenAttribution("[SEP]", -1, -1, true, -0.125));
    List<SpuriousFlag> flags = new ArrayList<>();
    if (flagType != null) {
      WordAttribution fw = words.get(flagWord);
      flags.add(
          new SpuriousFlag(
              flagType,
              "word '" + fw.getWord() + "' carries much of the decision",
              0.75,
              flagWord + 1,
              List.of(new CharSpan(fw.getStart(), fw.getEnd()))));
    }
    List<String> labels = List.of("normal", "offensive");
    int li = labels.indexOf(label);
    return ExplainedPrediction.newBuilder()
        .setId(id)
        .setModelVersion("v1")
        .setLabel(label)
        .setLabelIndex(li)
        .setLabels(labels)
        .setScores(li == 0 ? List.of(0.8, 0.2) : List.of(0.1, 0.9))
        .setLogits(List.of(0.0, 1.0))
        .setExplainedLabelIndex(li)
        .setTokens(tokens)
        .setWords(words)
        .setCompletenessResidual(1e-6)
        .setTruncated(false)
        .setFlags(flags)
        .setLatencyMs(5)
        .setSubmittedAtMs(1_700_000_000_000L)
        .setTextSha256(sha256(text))
        .setText(text)
        .build();
  }

  /** Lower-case hex SHA-256 of the UTF-8 text. */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
