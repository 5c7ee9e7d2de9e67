package dev.candor.cli;

import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.schemas.avro.SpuriousFlag;
import dev.candor.stream.StreamAppConfig;
import dev.candor.stream.flags.FlagContext;
import dev.candor.stream.flags.FlagEvaluator;
import dev.candor.stream.flags.SpuriousFlagRule;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the stream app's spurious-evidence detectors over a labelled JSONL file, as the stream does
 * (micro-batches, one model version, counterfactual swaps batched), and prints each detector's flag
 * rate and cost. No broker is involved and no feedback exists, so the reviewer-rejected detector
 * has nothing to go on here.
 */
@Command(
    name = "flags",
    mixinStandardHelpOptions = true,
    description = {
      "Flag rate of each spurious-evidence detector on a labelled JSONL file (default:"
          + " hatexplain/val.jsonl), overall, by predicted and by true label, and the time each"
          + " detector adds per text (the counterfactual swaps' forward passes included)."
    })
final class BenchFlagsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOption model;

  @Mixin LabelledFileOption input;

  @Option(names = "--limit", defaultValue = "0", description = "first N rows only (0: all)")
  int limit;

  @Option(names = "--batch", defaultValue = "32", description = "micro-batch size")
  int batch;

  @Option(
      names = {"-D", "--set"},
      description =
          "a stream-app config key for the detectors, e.g. -D candor.flag.identity.top.k=2"
              + " (repeatable; see 'candor stream --print-config-reference')")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--examples",
      defaultValue = "0",
      description = "also print the first N flagged texts of each detector with the reason")
  int examples;

  @Option(names = "--json", description = "print the figures as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1");
    }
    Path f = input.resolve();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonlDataset ds = JsonlDataset.read(f);
    List<Example> rows;
    Path bundle = model.bundleDir();
    Properties props = new Properties();
    props.putAll(settings);
    props.put(StreamAppConfig.MODEL_BUNDLE_DIR_CONFIG, bundle.toString());
    StreamAppConfig config = new StreamAppConfig(props);
    List<SpuriousFlagRule> rules = config.flagRules();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagEvaluator evaluator = new FlagEvaluator(rules, registry);
    Set<String> types = new LinkedHashSet<>();
    for (SpuriousFlagRule r : rules) {
      types.add(typeOf(r));
    }
    Map<String, Integer> byType = new LinkedHashMap<>();
    Map<String, List<String>> shown = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> byPredicted = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> byTrue = new LinkedHashMap<>();
    Map<String, Integer> predictedCount = new LinkedHashMap<>();
    Map<String, Integer> trueCount = new LinkedHashMap<>();
    int anyFlag = 0;
    long explainNanos = 0;
    long[] swapped = new long[2]; // texts re-classified, nanoseconds spent
    String version;
    List<String> labels;
    ProgressBar bar = new ProgressBar(err, "flagging");
    try (ModelHandle handle = ModelHandle.load(bundle, model.device.choice(), registry)) {
      version = handle.version();
      labels = null;
      // a three-class model counts the rows' label3 as their true class, not the binary label
      rows = (handle.labels().isEmpty() ? ds : ds.forLabels(handle.labels())).head(limit);
      for (int from = 0; from < rows.size(); from += batch) {
        List<Example> chunk = rows.subList(from, Math.min(rows.size(), from + batch));
        List<String> texts = chunk.stream().map(Example::text).toList();
        long t0 = System.nanoTime();
        ModelHandle.ExplainedBatch b = handle.explain(texts);
        explainNanos += System.nanoTime() - t0;
        FlagContext context =
            FlagContext.of(
                batchTexts -> {
                  long s0 = System.nanoTime();
                  List<Prediction> p = handle.classify(batchTexts).predictions();
                  swapped[0] += batchTexts.size();
                  swapped[1] += System.nanoTime() - s0;
                  return p;
                },
                word -> 0);
        List<List<SpuriousFlag>> flags = evaluator.flags(b.explanations(), context);
        for (int i = 0; i < chunk.size(); i++) {
          Explanation e = b.explanations().get(i);
          labels = e.prediction().labels();
          String predicted = e.prediction().label();
          int gold = chunk.get(i).label();
          String truth = gold >= 0 && gold < labels.size() ? labels.get(gold) : "label " + gold;
          predictedCount.merge(predicted, 1, Integer::sum);
          trueCount.merge(truth, 1, Integer::sum);
          Set<String> seen = new LinkedHashSet<>();
          for (SpuriousFlag fl : flags.get(i)) {
            seen.add(fl.getType());
          }
          if (!seen.isEmpty()) {
            anyFlag++;
          }
          for (SpuriousFlag fl : flags.get(i)) {
            List<String> l = shown.computeIfAbsent(fl.getType(), k -> new ArrayList<>());
            if (l.size() < examples) {
              l.add(
                  chunk.get(i).id()
                      + " ["
                      + predicted
                      + "] "
                      + chunk.get(i).text()
                      + "\n      "
                      + fl.getDetail());
            }
          }
          for (String t : seen) {
            types.add(t);
            byType.merge(t, 1, Integer::sum);
            byPredicted.computeIfAbsent(t, k -> new HashMap<>()).merge(predicted, 1, Integer::sum);
            byTrue.computeIfAbsent(t, k -> new HashMap<>()).merge(truth, 1, Integer::sum);
          }
        }
        bar.update(from + chunk.size(), rows.size(), "", false);
      }
    }
    bar.update(rows.size(), rows.size(), "", true);
    int n = rows.size();
    if (json) {
      var o = JsonOutput.JSON.createObjectNode();
      o.put("model_version", version);
      o.put("file", f.toString());
      o.put("sha256", ds.sha256());
      o.put("texts", n);
      o.put("batch", batch);
      o.put("machine", MachineInfo.describe());
      o.put("any_flag_rate", rate(anyFlag, n));
      o.put("explain_ms_per_text", ms(explainNanos, n));
      o.put("counterfactual_texts_reclassified", swapped[0]);
      o.put("counterfactual_forward_ms_per_text", ms(swapped[1], n));
      var d = o.putObject("detectors");
      for (String t : types) {
        var x = d.putObject(t);
        x.put("flags", byType.getOrDefault(t, 0));
        x.put("rate", rate(byType.getOrDefault(t, 0), n));
        var bp = x.putObject("rate_by_predicted_label");
        predictedCount.forEach(
            (l, c) -> bp.put(l, rate(byPredicted.getOrDefault(t, Map.of()).getOrDefault(l, 0), c)));
        var bt = x.putObject("rate_by_true_label");
        trueCount.forEach(
            (l, c) -> bt.put(l, rate(byTrue.getOrDefault(t, Map.of()).getOrDefault(l, 0), c)));
      }
      var c = o.putObject("rule_ms_per_text");
      for (SpuriousFlagRule r : rules) {
        c.put(r.getClass().getSimpleName(), ruleMs(registry, r, n));
      }
      out.println(o);
    } else {
      out.printf(
          Locale.ROOT,
          "detectors of model %s on %s (%d texts, sha256 %s), micro-batch %d, %s%n",
          version,
          f,
          n,
          ds.sha256().substring(0, 12),
          batch,
          MachineInfo.describe());
      out.printf(
          Locale.ROOT,
          "predicted: %s; true: %s; any flag: %d (%.1f%%)%n",
          predictedCount,
          trueCount,
          anyFlag,
          100 * rate(anyFlag, n));
      out.printf(Locale.ROOT, "%-20s %7s %7s", "detector", "flags", "rate");
      for (String l : predictedCount.keySet()) {
        out.printf(Locale.ROOT, " %14s", "pred " + l);
      }
      for (String l : trueCount.keySet()) {
        out.printf(Locale.ROOT, " %14s", "true " + l);
      }
      out.println();
      for (String t : types) {
        int k = byType.getOrDefault(t, 0);
        out.printf(Locale.ROOT, "%-20s %7d %6.2f%%", t, k, 100 * rate(k, n));
        for (var e : predictedCount.entrySet()) {
          int m = byPredicted.getOrDefault(t, Map.of()).getOrDefault(e.getKey(), 0);
          out.printf(Locale.ROOT, " %13.2f%%", 100 * rate(m, e.getValue()));
        }
        for (var e : trueCount.entrySet()) {
          int m = byTrue.getOrDefault(t, Map.of()).getOrDefault(e.getKey(), 0);
          out.printf(Locale.ROOT, " %13.2f%%", 100 * rate(m, e.getValue()));
        }
        out.println();
      }
      out.printf(Locale.ROOT, "cost per text: explain %.2f ms", ms(explainNanos, n));
      double rulesMs = 0;
      for (SpuriousFlagRule r : rules) {
        double ms = ruleMs(registry, r, n);
        rulesMs += ms;
        out.printf(Locale.ROOT, "; %s %.3f ms", r.getClass().getSimpleName(), ms);
      }
      out.println();
      out.printf(
          Locale.ROOT,
          "counterfactual: %d swapped texts re-classified (%.3f per text), %.2f ms per text in"
              + " forward passes; explain + all detectors %.2f ms per text%n",
          swapped[0],
          n == 0 ? 0 : (double) swapped[0] / n,
          ms(swapped[1], n),
          ms(explainNanos, n) + rulesMs);
      for (var e : shown.entrySet()) {
        out.println(e.getKey() + " examples:");
        for (String x : e.getValue()) {
          out.println("  " + x);
        }
      }
      out.println(
          "(no feedback is read here, so reviewer-rejected has no marks to act on; the stream"
              + " learns them from candor.feedback)");
    }
    out.flush();
    return 0;
  }

  private static String typeOf(SpuriousFlagRule r) {
    try {
      Object t = r.getClass().getField("TYPE").get(null);
      return String.valueOf(t);
    } catch (ReflectiveOperationException e) {
      return r.getClass().getSimpleName();
    }
  }

  private static double ruleMs(SimpleMeterRegistry registry, SpuriousFlagRule r, int n) {
    Timer t =
        registry.find("candor.flag.rule.latency").tag("rule", r.getClass().getSimpleName()).timer();
    return t == null || n == 0 ? 0 : t.totalTime(TimeUnit.MILLISECONDS) / n;
  }

  private static double rate(int k, int n) {
    return n == 0 ? 0 : (double) k / n;
  }

  private static double ms(long nanos, int n) {
    return n == 0 ? 0 : nanos / 1e6 / n;
  }
}
