package dev.candor.evaluation;

import dev.candor.model.provenance.DataSource;
import java.util.List;

/**
 * Where a report's numbers came from, enough to rerun them (after Tribuo's {@code
 * EvaluationProvenance}: the models' own provenance plus the evaluation data and settings). Any
 * field may be null when unknown.
 *
 * @param datasets the files evaluated on, each with its sha256
 * @param split the split's name (e.g. val)
 * @param n examples evaluated
 * @param models each model as loaded: version, manifest sha256 and the provenance in its bundle
 * @param protocol the Comp/Suff erasure protocol
 * @param seed drives sampling, pairing and sampling-based explainers
 * @param commandLine the invocation that wrote the report
 */
public record EvaluationProvenance(
    List<DataSource> datasets,
    String split,
    Integer n,
    List<EvaluatedModel> models,
    String protocol,
    Long seed,
    String commandLine) {

  public EvaluationProvenance {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    models = models == null ? List.of() : List.copyOf(models);
  }
}
