package dev.candor.cli;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.config.ModelConfig;
import dev.candor.model.internals.convert.HfCheckpointImporter;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import dev.candor.model.provenance.Lineage;
import dev.candor.model.provenance.ModelProvenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    ModelConfig config;
    Map<String, TensorData> weights;
    byte[] tokenizer;
    String base;
    if (from.equals("minilm")) {
      config = MiniLmImporter.config(!conventional, b, labels, maxLength);
      weights = MiniLmImporter.weights();
      tokenizer = MiniLmImporter.tokenizerJson();
      base = MiniLmImporter.BASE_MODEL;
    } else {
      HfCheckpointImporter.Checkpoint c =
          HfCheckpointImporter.load(Path.of(from), !conventional, b, labels, maxLength);
      config = c.config();
      weights = c.weights();
      tokenizer = c.tokenizer();
      base = Path.of(from).toAbsolutePath().toString();
    }
    Map<String, TensorData> complete = ParameterLayout.complete(config, weights, seed);
    Map<String, Object> hyper = new LinkedHashMap<>();
    hyper.put("bcos", !conventional);
    hyper.put("b", b);
    hyper.put("max_length", maxLength);
    hyper.put("head_init_seed", seed);
    ModelBundle bundle =
        ModelBundle.write(
            out,
            config,
            complete,
            tokenizer,
            Map.of("note", "converted, not fine-tuned: the classification head is untrained"),
            ModelProvenance.now(
                "candor convert --from " + from, Lineage.base(base, null), hyper, List.of()));
    spec.commandLine()
        .getOut()
        .printf("wrote %s (%s), version %s%n", out, config.describe(), bundle.version());
    return 0;
  }
}
