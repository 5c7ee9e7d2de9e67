package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.ModelConfig;
import dev.candor.model.bundle.Hashing;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.bundle.Provenance;
import dev.candor.model.internals.convert.MiniLmImporter;
import dev.candor.model.nn.ParameterLayout;
import dev.candor.model.nn.TensorData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateReportTest {
  private static final String[] ROWS = {
    row("a1", "you are a wonderful person and i like you", 0, "[]", "0,0,0,0,0,0,0,0,0"),
    row("a2", "go back to where you came from nobody wants you", 1, "[\"Refugee\"]",
        "1,1,0,0,0,0,0,1,0"),
    row("a3", "these people are vermin and should leave", 1, "[\"African\"]", "0,1,0,1,0,0,0"),
    row("a4", "the weather is nice today in the park", 0, "[\"African\"]", "0,0,0,0,0,0,0,0"),
    row("a5", "i hate all of them they are disgusting", 1, "[\"Refugee\"]", "0,1,0,0,0,0,0,1"),
    row("a6", "thanks for sharing this lovely recipe", 0, "[\"Refugee\"]", "0,0,0,0,0,0"),
    row("a7", "what a stupid idiot you are", 1, "[\"African\"]", "0,0,1,1,0,0"),
    row("a8", "see you at the meeting tomorrow", 0, "[]", "0,0,0,0,0,0"),
  };

  private static String row(String id, String text, int label, String targets, String rationale) {
    StringBuilder tokens = new StringBuilder();
    for (String w : text.split(" ")) {
      tokens.append(tokens.length() == 0 ? "" : ",").append('"').append(w).append('"');
    }
    return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"label\":" + label
        + ",\"label_name\":\"" + (label == 1 ? "toxic" : "normal") + "\",\"targets\":" + targets
        + ",\"tokens\":[" + tokens + "],\"rationale\":[" + rationale + "]}";
  }

  private static Path bundle(Path dir, boolean bcos, long seed) throws Exception {
    ModelConfig c = new ModelConfig(ModelConfig.Architecture.BERT, 30522, 16, 2, 2, 32, 64, 2, 0,
        1e-12, bcos, 1.5, List.of("normal", "toxic"), 32, ModelConfig.SpecialTokens.bert(),
        "random test weights");
    Random r = new Random(seed);
    Map<String, TensorData> w = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ParameterLayout.shapes(c).entrySet()) {
      int n = 1;
      for (long d : e.getValue()) {
        n *= (int) d;
      }
      float[] v = new float[n];
      boolean gain = e.getKey().endsWith("LayerNorm.weight");
      for (int i = 0; i < n; i++) {
        v[i] = (float) (gain ? 1.0 + 0.1 * r.nextGaussian() : 0.3 * r.nextGaussian());
      }
      w.put(e.getKey(), new TensorData(e.getValue(), v));
    }
    ModelBundle.write(dir, c, w, MiniLmImporter.tokenizerJson(), Map.of(),
        Provenance.now("test", "random", null, Map.of(), List.of()));
    return dir;
  }

  @Test
  void shouldWriteAReportWithARowPerModelAndExplainer(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("val.jsonl");
    Files.write(data, List.of(ROWS), StandardCharsets.UTF_8);
    Path bcos = bundle(tmp.resolve("tiny-bcos"), true, 1);
    Path conv = bundle(tmp.resolve("tiny-conv"), false, 2);
    Path out = tmp.resolve("docs");
    StringWriter so = new StringWriter();
    StringWriter se = new StringWriter();
    CommandLine cl = CandorCommand.commandLine();
    cl.setOut(new PrintWriter(so));
    cl.setErr(new PrintWriter(se));
    int code = cl.execute("evaluate", "--report", "--models", bcos + "," + conv, "--file",
        data.toString(), "--explainers", "bcos,saliency,ixg,ig,occlusion,attention,rollout,shapley",
        "--ig-steps", "4", "--shapley-samples", "2", "--seed", "5", "--protocol", "eraser",
        "--device", "cpu", "--out", out.toString());
    assertEquals(0, code, se.toString());
    String md = Files.readString(out.resolve("evaluation.md"));
    assertTrue(Files.exists(out.resolve("evaluation.json")));
    for (String e : List.of("bcos", "saliency", "ixg", "ig", "occlusion", "attention", "rollout",
        "shapley")) {
      assertTrue(md.contains("| tiny-bcos | " + e + " | "), "missing tiny-bcos/" + e + "\n" + md);
      if (!e.equals("bcos")) {
        assertTrue(md.contains("| tiny-conv | " + e + " | "), "missing tiny-conv/" + e + "\n" + md);
      }
    }
    assertFalse(md.contains("| tiny-conv | bcos |"), md);
    assertTrue(md.contains("tiny-conv: bcos explainer skipped"), md);
    assertTrue(md.contains(Hashing.sha256(data)), "dataset sha256 in provenance\n" + md);
    assertTrue(md.contains("eraser-bins"), md);
    assertTrue(md.contains("`candor evaluate --report --models"), md);
    // Every result row carries numbers for accuracy, Comp and Suff, and a time per text.
    long rows = md.lines().filter(l -> l.startsWith("| tiny-")).count();
    assertEquals(15, rows, md);
    md.lines().filter(l -> l.startsWith("| tiny-")).forEach(l -> {
      String[] cells = l.split("\\|");
      assertTrue(cells[3].trim().matches("\\d\\.\\d{3}"), "accuracy in " + l);
      assertTrue(cells[6].trim().matches("-?\\d\\.\\d{3}"), "Comp in " + l);
      assertTrue(cells[7].trim().matches("-?\\d\\.\\d{3}"), "Suff in " + l);
      assertTrue(cells[9].trim().matches("\\d\\.\\d{3}"), "plausibility in " + l);
      assertTrue(cells[13].trim().matches("\\d+\\.\\d"), "ms/text in " + l);
    });
  }

  @Test
  void shouldDocumentTheReportOptions() {
    StringWriter so = new StringWriter();
    CommandLine cl = CandorCommand.commandLine();
    cl.setOut(new PrintWriter(so));
    assertEquals(0, cl.execute("evaluate", "--help"));
    String help = so.toString();
    for (String option : List.of("--report", "--models", "--explainers", "--ig-steps",
        "--shapley-samples", "--seed", "--protocol", "--seqpg-pairs", "--out", "--limit")) {
      assertTrue(help.contains(option), option + " in\n" + help);
    }
    assertTrue(help.contains("50%)") && !help.contains("%%"), "format escapes rendered\n" + help);
  }

  @Test
  void shouldRejectAnUnknownExplainerBeforeLoadingModels(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("val.jsonl");
    Files.write(data, List.of(ROWS), StandardCharsets.UTF_8);
    StringWriter se = new StringWriter();
    CommandLine cl = CandorCommand.commandLine();
    cl.setErr(new PrintWriter(se));
    int code = cl.execute("evaluate", "--report", "--models", tmp.resolve("none").toString(),
        "--file", data.toString(), "--explainers", "lime", "--out", tmp.toString());
    assertTrue(code != 0);
    assertTrue(se.toString().contains("unknown explainer 'lime'"), se.toString());
  }
}
