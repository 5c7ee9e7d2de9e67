package dev.candor.evaluation;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.provenance.ModelProvenance;

/**
 * A model as a report saw it. The manifest sha256 identifies the exact bundle (a version string
 * alone repeats when a directory is retrained), and its provenance says how it was made.
 *
 * @param name the row label in the report (the bundle directory's name)
 * @param version the version every prediction carries
 * @param manifestSha256 sha256 of the bundle's {@code MANIFEST.sha256}, or null when not a bundle
 * @param provenance the bundle's {@code provenance.json}, or null when unknown
 */
public record EvaluatedModel(
    String name, String version, String manifestSha256, ModelProvenance provenance) {

  /** The bundle as read (and so verified). */
  public static EvaluatedModel of(String name, ModelBundle bundle) {
    return new EvaluatedModel(name, bundle.version(), bundle.manifestSha256(), bundle.provenance());
  }
}
