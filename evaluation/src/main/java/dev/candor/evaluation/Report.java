package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * A titled evaluation report: provenance header, result rows, free-text notes (e.g. skipped
 * subgroups), and each model's per-class figures.
 */
public record Report(
    String title,
    EvaluationProvenance provenance,
    List<ReportRow> rows,
    List<String> notes,
    List<ClassBreakdown> classes) {

  public Report {
    rows = rows == null ? List.of() : List.copyOf(rows);
    notes = notes == null ? List.of() : List.copyOf(notes);
    classes = classes == null ? List.of() : List.copyOf(classes);
  }

  /** A report without per-class figures. */
  public Report(
      String title, EvaluationProvenance provenance, List<ReportRow> rows, List<String> notes) {
    this(title, provenance, rows, notes, List.of());
  }

  /** This report with {@code more} notes after its own. */
  public Report withNotes(List<String> more) {
    List<String> all = new ArrayList<>(notes);
    all.addAll(more);
    return new Report(title, provenance, rows, all, classes);
  }
}
