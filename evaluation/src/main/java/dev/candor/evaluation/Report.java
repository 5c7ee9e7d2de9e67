package dev.candor.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * A titled evaluation report: provenance header, result rows, free-text notes (e.g. skipped
 * subgroups).
 */
public record Report(
    String title, EvaluationProvenance provenance, List<ReportRow> rows, List<String> notes) {

  public Report {
    rows = rows == null ? List.of() : List.copyOf(rows);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** This report with {@code more} notes after its own. */
  public Report withNotes(List<String> more) {
    List<String> all = new ArrayList<>(notes);
    all.addAll(more);
    return new Report(title, provenance, rows, all);
  }
}
