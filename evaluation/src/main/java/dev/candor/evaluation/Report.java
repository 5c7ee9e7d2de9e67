package dev.candor.evaluation;

import java.util.List;

/** A titled evaluation report: provenance header, result rows, free-text notes (e.g. skipped subgroups). */
public record Report(String title, Provenance provenance, List<ReportRow> rows, List<String> notes) {

    public Report {
        rows = rows == null ? List.of() : List.copyOf(rows);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
