package dev.candor.cli;

import dev.candor.model.data.DataDirectory;
import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The texts {@code candor bench model} times, and where they came from for the report. Reading
 * HateXplain either works or fails loudly: a silent switch to the short built-in sentences would
 * publish figures for texts nobody asked for.
 *
 * @param texts the texts, in order
 * @param source how the report names them
 */
record BenchTexts(List<String> texts, String source) {
  /** At most this many validation texts are timed. */
  static final int MAX_TEXTS = 512;

  private static final List<String> BUILTIN =
      List.of(
          "you are a wonderful person and i am glad we met",
          "go back to where you came from nobody wants you here",
          "the meeting is moved to thursday afternoon, see you then",
          "what a disgusting thing to say about an entire group of people",
          "i disagree with the policy but respect the people who support it",
          "this is the worst take i have read all week");

  static BenchTexts builtin() {
    return new BenchTexts(BUILTIN, "built-in sentences (--builtin-texts)");
  }

  /** The first {@link #MAX_TEXTS} texts of {@code hatexplain/val.jsonl} under {@code data}. */
  static BenchTexts hateXplain(Path data) throws IOException {
    Path val;
    try {
      val = DataDirectory.dataset(DataDirectory.resolve(data), "hatexplain").resolve("val.jsonl");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "no benchmark texts: " + e.getMessage() + "; or pass --builtin-texts", e);
    }
    List<String> texts =
        JsonlDataset.read(val).examples().stream().map(Example::text).limit(MAX_TEXTS).toList();
    return new BenchTexts(texts, "HateXplain validation texts from " + val);
  }
}
