package dev.candor.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.candor.model.provenance.DataSource;
import dev.candor.model.provenance.ModelProvenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Renders a {@link Report} as Markdown for people and JSON for tools. */
public final class ReportWriter {

  /** Shown for a value that was not measured or is undefined. */
  public static final String MISSING = "–";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private record Column(String header, Function<ReportRow, Double> value, String format) {}

  private static final List<Column> METRICS =
      List.of(
          new Column("Accuracy", ReportRow::accuracy, "%.3f"),
          new Column("Macro-F1", ReportRow::macroF1, "%.3f"),
          new Column("AUROC", ReportRow::auroc, "%.3f"),
          new Column("P(pred)", ReportRow::meanPredictedProbability, "%.3f"),
          new Column("Comp ↑", ReportRow::comp, "%.3f"),
          new Column("Comp AUC ↑", ReportRow::compAuc, "%.3f"),
          new Column("Suff ↓", ReportRow::suff, "%.3f"),
          new Column("Suff AUC ↓", ReportRow::suffAuc, "%.3f"),
          new Column("SeqPG ↑", ReportRow::seqPg, "%.3f"),
          new Column("Plaus. AUPRC ↑", ReportRow::plausibilityAuprc, "%.3f"),
          new Column("Plaus. top-k F1 ↑", ReportRow::plausibilityTopKF1, "%.3f"),
          new Column("Entropy", ReportRow::entropy, "%.3f"),
          new Column("GMB-Sub", ReportRow::biasSubgroupAuc, "%.3f"),
          new Column("GMB-BPSN", ReportRow::biasBpsnAuc, "%.3f"),
          new Column("GMB-BNSP", ReportRow::biasBnspAuc, "%.3f"),
          new Column("Explain ms/text", ReportRow::explainMsPerText, "%.1f"));

  private ReportWriter() {}

  /**
   * Writes {@code baseName.md} and {@code baseName.json} into {@code directory}, and the B sweep
   * plots ({@link BSweep}) when the rows hold B-cos models of two or more B.
   *
   * @return the files written, Markdown first
   */
  public static List<Path> write(Report report, Path directory, String baseName)
      throws IOException {
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>();
    written.add(directory.resolve(baseName + ".md"));
    written.add(directory.resolve(baseName + ".json"));
    Files.writeString(written.get(0), markdown(report), StandardCharsets.UTF_8);
    Files.writeString(written.get(1), json(report), StandardCharsets.UTF_8);
    written.addAll(BSweep.writePlots(report.rows(), directory));
    return written;
  }

  public static String json(Report report) {
    try {
      return JSON.writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report is not serialisable", e);
    }
  }

  public static String markdown(Report report) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(cell(report.title())).append("\n\n");
    appendProvenance(md, report.provenance());
    md.append("## Results\n\n");
    md.append(
        "Comp/Suff: mean over k of the drop in the predicted class's softmax probability when the"
            + " top-k% tokens are replaced by [MASK] (Comp) or are all that is kept (Suff); AUC:"
            + " trapezoid area under that curve over k (see Notes). Target: what each explainer"
            + " explains. `occlusion` is the metric-aligned upper reference, `random` the"
            + " floor.\n\n");
    md.append("| Model | Explainer | Target | ")
        .append(METRICS.stream().map(Column::header).collect(Collectors.joining(" | ")))
        .append(" |\n");
    md.append("|---|---|---|").append("---:|".repeat(METRICS.size())).append('\n');
    for (ReportRow row : report.rows()) {
      md.append("| ")
          .append(cell(row.model()))
          .append(" | ")
          .append(cell(row.explainer()))
          .append(" | ")
          .append(row.target() == null ? MISSING : cell(row.target()))
          .append(" | ")
          .append(
              METRICS.stream()
                  .map(c -> number(c.value().apply(row), c.format()))
                  .collect(Collectors.joining(" | ")))
          .append(" |\n");
    }
    md.append('\n');
    appendClasses(md, report.classes());
    appendCost(md, report.rows());
    appendToxicSpans(md, report.rows());
    md.append(BSweep.markdown(report.rows()));
    if (!report.notes().isEmpty()) {
      md.append("## Notes\n\n");
      report.notes().forEach(note -> md.append("- ").append(note).append('\n'));
      md.append('\n');
    }
    md.append(Targets.markdown(report.rows()));
    return md.toString();
  }

  /** Per model: precision, recall, F1 and support per class, then the confusion matrix. */
  private static void appendClasses(StringBuilder md, List<ClassBreakdown> classes) {
    if (classes.isEmpty()) {
      return;
    }
    md.append("## Per class\n\n");
    md.append(
        "Each model's predicted class (arg-max) against the label; macro-F1 is the unweighted"
            + " mean of the per-class F1. Confusion rows: true class; columns: predicted.\n\n");
    for (ClassBreakdown b : classes) {
      md.append("### ")
          .append(cell(b.model()))
          .append(" (macro-F1 ")
          .append(nan(b.macroF1()))
          .append(")\n\n");
      md.append("| Class | Precision | Recall | F1 | Support |\n|---|---:|---:|---:|---:|\n");
      for (int c = 0; c < b.labels().size(); c++) {
        md.append("| ")
            .append(cell(b.labels().get(c)))
            .append(" | ")
            .append(nan(b.precision()[c]))
            .append(" | ")
            .append(nan(b.recall()[c]))
            .append(" | ")
            .append(nan(b.f1()[c]))
            .append(" | ")
            .append(b.support()[c])
            .append(" |\n");
      }
      md.append("\n| true / predicted | ")
          .append(b.labels().stream().map(ReportWriter::cell).collect(Collectors.joining(" | ")))
          .append(" |\n|---|")
          .append("---:|".repeat(b.labels().size()))
          .append('\n');
      for (int i = 0; i < b.labels().size(); i++) {
        md.append("| ").append(cell(b.labels().get(i))).append(" | ");
        List<String> counts = new ArrayList<>();
        for (int j = 0; j < b.labels().size(); j++) {
          counts.add(String.valueOf(b.confusion()[i][j]));
        }
        md.append(String.join(" | ", counts)).append(" |\n");
      }
      md.append('\n');
    }
  }

  /**
   * The cost table: explain ms/text of every explainer on the same texts, and its ratio to the
   * B-cos explanation of the same model (or of the first B-cos model when the model is
   * conventional); nothing when no row has a time.
   */
  private static void appendCost(StringBuilder md, List<ReportRow> rows) {
    List<ReportRow> timed =
        rows.stream().filter(r -> r.explainMsPerText() != null && !r.sweep()).toList();
    if (timed.isEmpty()) {
      return;
    }
    ReportRow firstBcos =
        timed.stream().filter(r -> r.explainer().equals("bcos")).findFirst().orElse(null);
    md.append("## Explanation cost\n\n");
    md.append(
        "Wall time of the explainer alone per text (same texts, same batches); × B-cos: this"
            + " time ÷ the B-cos explanation's time on the same model (on the first B-cos model for"
            + " a conventional one).\n\n");
    md.append("| Model | Explainer | Target | Steps/samples | Explain ms/text | × B-cos |\n");
    md.append("|---|---|---|---:|---:|---:|\n");
    for (ReportRow r : timed) {
      ReportRow ref =
          timed.stream()
              .filter(b -> b.explainer().equals("bcos") && b.model().equals(r.model()))
              .findFirst()
              .orElse(Boolean.TRUE.equals(r.bcos()) ? null : firstBcos);
      Double ratio =
          ref == null || !(ref.explainMsPerText() > 0)
              ? null
              : r.explainMsPerText() / ref.explainMsPerText();
      md.append("| ")
          .append(cell(r.model()))
          .append(" | ")
          .append(cell(r.explainer()))
          .append(" | ")
          .append(r.target() == null ? MISSING : cell(r.target()))
          .append(" | ")
          .append(r.explainerSteps() == null ? MISSING : r.explainerSteps().toString())
          .append(" | ")
          .append(number(r.explainMsPerText(), "%.1f"))
          .append(" | ")
          .append(number(ratio, "%.1f"))
          .append(" |\n");
    }
    md.append('\n');
  }

  /** A second table for the rows scored against Toxic Spans; nothing when none was. */
  private static void appendToxicSpans(StringBuilder md, List<ReportRow> rows) {
    List<ReportRow> scored = rows.stream().filter(r -> r.toxicSpansTexts() != null).toList();
    if (scored.isEmpty()) {
      return;
    }
    md.append("## Toxic Spans plausibility\n\n");
    md.append(
        "Explanation of the toxic class against the Toxic Spans character spans (word-pieces"
            + " overlapping a span are positive; specials excluded).\n\n");
    md.append(
        "| Model | Explainer | Toxic Spans texts | Toxic Spans AUPRC ↑ | Toxic Spans top-k F1 ↑"
            + " |\n");
    md.append("|---|---|---:|---:|---:|\n");
    for (ReportRow r : scored) {
      md.append("| ")
          .append(cell(r.model()))
          .append(" | ")
          .append(cell(r.explainer()))
          .append(" | ")
          .append(r.toxicSpansTexts())
          .append(" | ")
          .append(number(r.toxicSpansAuprc(), "%.3f"))
          .append(" | ")
          .append(number(r.toxicSpansTopKF1(), "%.3f"))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void appendProvenance(StringBuilder md, EvaluationProvenance p) {
    md.append("## Provenance\n\n");
    if (p == null) {
      md.append("- ").append(MISSING).append("\n\n");
      return;
    }
    md.append("- Datasets: ")
        .append(
            p.datasets().isEmpty()
                ? MISSING
                : p.datasets().stream()
                    .map(d -> "`" + d.path() + "` (sha256 `" + orMissing(d.sha256()) + "`)")
                    .collect(Collectors.joining(", ")))
        .append('\n');
    md.append("- Split: ").append(orMissing(p.split())).append('\n');
    md.append("- Examples: ").append(orMissing(p.n())).append('\n');
    md.append("- Models: ")
        .append(
            p.models().isEmpty()
                ? MISSING
                : p.models().stream()
                    .map(m -> m.name() + " = `" + m.version() + "`")
                    .collect(Collectors.joining(", ")))
        .append('\n');
    p.models().forEach(m -> md.append("  - ").append(modelOrigin(m)).append('\n'));
    md.append("- Protocol: ").append(orMissing(p.protocol())).append('\n');
    md.append("- Seed: ").append(orMissing(p.seed())).append('\n');
    md.append("- Command: ")
        .append(p.commandLine() == null ? MISSING : "`" + p.commandLine() + "`")
        .append("\n\n");
  }

  /** One line per model: which exact bundle, and how it was made (from its provenance.json). */
  static String modelOrigin(EvaluatedModel m) {
    StringBuilder s = new StringBuilder(cell(m.name()));
    s.append(": manifest sha256 `").append(orMissing(m.manifestSha256())).append('`');
    ModelProvenance p = m.provenance();
    if (p == null) {
      return s.append("; provenance ").append(MISSING).toString();
    }
    s.append("; made ").append(orMissing(p.createdAt()));
    s.append(" by `").append(orMissing(p.command())).append('`');
    s.append(" at commit `").append(orMissing(p.gitCommit())).append('`');
    s.append("; base ").append(orMissing(p.baseModel()));
    if (p.parentBundle() != null) {
      s.append("; fine-tuned from `").append(p.parentBundle()).append('`');
    }
    List<DataSource> data = p.data() == null ? List.of() : p.data();
    s.append("; data ")
        .append(
            data.isEmpty()
                ? MISSING
                : data.stream()
                    .map(
                        d ->
                            d.role()
                                + " `"
                                + d.path()
                                + "` (sha256 `"
                                + orMissing(d.sha256())
                                + "`, "
                                + d.rows()
                                + " rows)")
                    .collect(Collectors.joining(", ")));
    return s.toString();
  }

  static String number(Double v, String format) {
    return v == null ? MISSING : String.format(Locale.ROOT, format, v);
  }

  private static String nan(double v) {
    return Double.isNaN(v) ? MISSING : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String orMissing(Object v) {
    return v == null ? MISSING : v.toString();
  }

  /** Keeps user-supplied names from breaking the table layout. */
  static String cell(String s) {
    return s == null ? MISSING : s.replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
  }
}
