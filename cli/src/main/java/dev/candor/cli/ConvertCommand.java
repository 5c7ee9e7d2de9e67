package dev.candor.cli;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.convert.BaseModels;
import dev.candor.model.convert.ConversionSpec;
import dev.candor.model.convert.ConvertedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Converts pre-trained weights into a (not yet fine-tuned) Candor bundle. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description =
        "Convert a local Hugging Face BERT/DistilBERT/RoBERTa directory (config.json,"
            + " model.safetensors, tokenizer.json) or the bundled MiniLM into a B-cos or"
            + " conventional bundle with a fresh classification head.")
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      description = "Hugging Face checkpoint directory, or 'minilm' for the bundled MiniLM-L6")
  String from;

  @Option(names = "--out", required = true, description = "bundle directory to create")
  Path out;

  @Option(names = "--conventional", description = "keep biases, pooler tanh and plain linears")
  boolean conventional;

  @Option(names = "--b", defaultValue = "1.5")
  double b;

  @Option(names = "--labels", defaultValue = "normal,toxic", split = ",")
  List<String> labels;

  @Option(names = "--max-length", defaultValue = "128")
  int maxLength;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out)) {
      throw new IllegalArgumentException(out + " already exists");
    }
    ConvertedModel converted =
        BaseModels.from(from, new ConversionSpec(!conventional, b, labels, maxLength, seed));
    ModelBundle bundle = converted.writeBundle(out, Invocation.of(spec));
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s (%s), version %s%n", out, converted.config().describe(), bundle.version());
    return 0;
  }
}
