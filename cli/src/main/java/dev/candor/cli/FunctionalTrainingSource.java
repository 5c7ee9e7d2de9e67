package dev.candor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.evaluation.functional.FunctionalSuite;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Functional training templates drawn into a dataset folder (train.jsonl and val.jsonl). */
final class FunctionalTrainingSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Default training texts per template ({@code candor functional-data}, the default mix). */
  static final String PER_TEMPLATE = "40";

  /** Default validation texts per template. */
  static final String VAL_PER_TEMPLATE = "4";

  /** Default seed of the draws. */
  static final String SEED = "42";

  /** The cases written to each file. */
  record Written(List<FunctionalSuite.Case> train, List<FunctionalSuite.Case> val) {}

  private FunctionalTrainingSource() {}

  /**
   * Draws {@code perTemplate} training and {@code valPerTemplate} validation texts per template
   * (none in both) and writes them to {@code out/train.jsonl} and {@code out/val.jsonl}.
   */
  static Written write(
      FunctionalSuite suite, int perTemplate, int valPerTemplate, long seed, Path out)
      throws IOException {
    List<FunctionalSuite.Case> train = suite.sample(perTemplate, seed);
    Set<String> taken = new HashSet<>();
    train.forEach(c -> taken.add(c.text()));
    List<FunctionalSuite.Case> val = new ArrayList<>();
    Map<String, Integer> perTemplateInVal = new HashMap<>();
    if (valPerTemplate > 0) {
      // drawn as many as a template may give beside the training texts, then held apart from them
      for (FunctionalSuite.Case c : suite.sample(perTemplate + valPerTemplate, seed + 1)) {
        if (perTemplateInVal.getOrDefault(c.template(), 0) < valPerTemplate
            && taken.add(c.text())) {
          val.add(c);
          perTemplateInVal.merge(c.template(), 1, Integer::sum);
        }
      }
    }
    Files.createDirectories(out);
    write(out.resolve("train.jsonl"), train, "train", suite);
    write(out.resolve("val.jsonl"), val, "val", suite);
    return new Written(train, val);
  }

  private static void write(
      Path file, List<FunctionalSuite.Case> cases, String split, FunctionalSuite suite)
      throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < cases.size(); i++) {
        FunctionalSuite.Case c = cases.get(i);
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "functional-" + split + "-" + i);
        o.put("text", c.text());
        o.put("label", c.expectedToxic() ? 1 : 0);
        o.put("label_name", c.expectedToxic() ? "toxic" : "normal");
        o.put("functionality", c.functionality());
        o.put("group", c.group());
        o.put("template", c.template());
        o.put("source", "candor-functional " + suite.sha256().substring(0, 12));
        w.write(JSON.writeValueAsString(o));
        w.newLine();
      }
    }
  }
}
