package dev.candor.model.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.candor.model.config.ModelConfig.SpecialTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Word-piece tokenisation with character offsets into the original Java string.
 *
 * <p>The Rust tokenizer reports spans in code points; they are converted to UTF-16 indices here.
 * Lone surrogates (invalid UTF-16) are replaced by U+FFFD before tokenising, which keeps every
 * index valid because the replacement is one char for one char. Texts longer than {@code maxLength}
 * tokens keep their first tokens and the final [SEP].
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final long clsId;
  private final long sepId;
  private final long padId;
  private final long maskId;

  public TextTokenizer(byte[] tokenizerJson, SpecialTokens specials, int maxLength) {
    if (maxLength < 3) {
      throw new IllegalArgumentException("maxLength must be at least 3, was " + maxLength);
    }
    try {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(tokenizerJson),
              Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizer.json", e);
    }
    this.maxLength = maxLength;
    this.clsId = idOf(specials.cls());
    this.sepId = idOf(specials.sep());
    this.padId = idOf(specials.pad());
    this.maskId = idOf(specials.mask());
  }

  private long idOf(String token) {
    long[] ids = tokenizer.encode(token, false, false).getIds();
    if (ids.length != 1) {
      throw new IllegalArgumentException("tokenizer has no single token for " + token);
    }
    return ids[0];
  }

  public int maxLength() {
    return maxLength;
  }

  public long padId() {
    return padId;
  }

  public long maskId() {
    return maskId;
  }

  public long clsId() {
    return clsId;
  }

  public long sepId() {
    return sepId;
  }

  public TokenizedText encode(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text cannot be null");
    }
    String clean = replaceLoneSurrogates(text);
    Encoding enc = tokenizer.encode(clean, true, false);
    long[] ids = enc.getIds();
    String[] toks = enc.getTokens();
    long[] specialMask = enc.getSpecialTokenMask();
    long[] words = enc.getWordIds();
    CharSpan[] spans = enc.getCharTokenSpans();
    int[] cpToChar = codePointToCharIndex(clean);

    int n = ids.length;
    int keep = Math.min(n, maxLength);
    boolean truncated = n > maxLength;
    long[] outIds = new long[keep];
    String[] outToks = new String[keep];
    int[] starts = new int[keep];
    int[] ends = new int[keep];
    boolean[] special = new boolean[keep];
    int[] wordIds = new int[keep];
    for (int i = 0; i < keep; i++) {
      // when truncating, the last slot takes the final [SEP]
      int src = truncated && i == keep - 1 ? n - 1 : i;
      outIds[i] = ids[src];
      outToks[i] = toks[src];
      special[i] = specialMask[src] != 0;
      CharSpan span = spans[src];
      if (special[i] || span == null) {
        starts[i] = -1;
        ends[i] = -1;
        wordIds[i] = -1;
      } else {
        starts[i] = cpToChar[Math.min(span.getStart(), cpToChar.length - 1)];
        ends[i] = cpToChar[Math.min(span.getEnd(), cpToChar.length - 1)];
        wordIds[i] = (int) words[src];
      }
    }
    return new TokenizedText(
        text, outIds, outToks, starts, ends, special, wordIds, truncated, truncated ? n - keep : 0);
  }

  /** A copy of {@code s} with every unpaired surrogate replaced by U+FFFD. */
  static String replaceLoneSurrogates(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean lone;
      if (Character.isHighSurrogate(c)) {
        lone = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (!lone) {
          i++;
          continue;
        }
      } else {
        lone = Character.isLowSurrogate(c);
      }
      if (lone) {
        if (b == null) {
          b = new StringBuilder(s);
        }
        b.setCharAt(i, '\uFFFD');
      }
    }
    return b == null ? s : b.toString();
  }

  private static int[] codePointToCharIndex(String s) {
    int cps = s.codePointCount(0, s.length());
    int[] map = new int[cps + 1];
    int charIndex = 0;
    for (int cp = 0; cp < cps; cp++) {
      map[cp] = charIndex;
      charIndex += Character.charCount(s.codePointAt(charIndex));
    }
    map[cps] = s.length();
    return map;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
