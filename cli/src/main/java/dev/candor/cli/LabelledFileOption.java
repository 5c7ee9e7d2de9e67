package dev.candor.cli;

import dev.candor.model.data.DataDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --file F.jsonl} or {@code --data DIR}: the labelled texts a command scores, by default
 * HateXplain's validation split. Shared so that every scoring command finds its data alike.
 */
final class LabelledFileOption {
  @Option(names = "--file", description = "JSONL file with text and label")
  Path file;

  @Option(
      names = "--data",
      description = "datasets directory (default: $CANDOR_DATA or ../shared/data)")
  Path data;

  /** The file to read: {@code --file}, else {@code hatexplain/val.jsonl} in the data directory. */
  Path resolve() {
    return file != null
        ? file
        : DataDirectory.dataset(DataDirectory.resolve(data), "hatexplain").resolve("val.jsonl");
  }
}
