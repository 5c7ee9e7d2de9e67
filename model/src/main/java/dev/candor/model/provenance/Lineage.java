package dev.candor.model.provenance;

/**
 * What a model started from: pre-trained weights, and the bundle it was fine-tuned from when it was
 * (the trainer's rounds start from the production model).
 *
 * @param baseModel the pre-trained weights (a name with its Maven coordinate, or a directory)
 * @param baseModelSha256 checksum of the base weights file
 * @param parentBundle version of the bundle fine-tuned from, or null
 * @param parentManifestSha256 that bundle's manifest checksum, or null
 */
public record Lineage(
    String baseModel, String baseModelSha256, String parentBundle, String parentManifestSha256) {

  /** Started from pre-trained weights only. */
  public static Lineage base(String baseModel, String baseModelSha256) {
    return new Lineage(baseModel, baseModelSha256, null, null);
  }

  /** This lineage continued from a bundle, keeping the original base weights. */
  public Lineage withParent(String version, String manifestSha256) {
    return new Lineage(baseModel, baseModelSha256, version, manifestSha256);
  }
}
