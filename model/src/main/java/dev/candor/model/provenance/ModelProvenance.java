package dev.candor.model.provenance;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where a model came from, embedded in its bundle as {@code provenance.json} (after Tribuo's {@code
 * ModelProvenance}). It is built where the model is made ({@code BaseModels}, {@code FineTuning}),
 * never by a caller afterwards.
 *
 * <p>The last two fields, {@code baseModelSha256} and {@code parentManifestSha256}, were added
 * later; bundles written without them still load (they read as null).
 *
 * @param createdAt ISO-8601 instant
 * @param command the invocation that made it
 * @param baseModel the pre-trained weights it started from
 * @param parentBundle the bundle it was fine-tuned from, if any (version string)
 * @param gitCommit Candor's commit, or "unknown" outside a checkout
 * @param hyperParameters every training setting, including the seed
 * @param data data read, each with its sha256
 * @param environment Java, OS, architecture, DJL and PyTorch versions
 * @param baseModelSha256 checksum of the base weights file, when known
 * @param parentManifestSha256 manifest checksum of the parent bundle, if any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelProvenance(
    String createdAt,
    String command,
    String baseModel,
    String parentBundle,
    String gitCommit,
    Map<String, Object> hyperParameters,
    List<DataSource> data,
    Map<String, String> environment,
    String baseModelSha256,
    String parentManifestSha256) {

  /** Provenance stamped now, with this process's environment and Candor's git commit. */
  public static ModelProvenance now(
      String command, Lineage lineage, Map<String, Object> hyperParameters, List<DataSource> data) {
    return new ModelProvenance(
        Instant.now().toString(),
        command,
        lineage.baseModel(),
        lineage.parentBundle(),
        BuildInfo.gitCommit(),
        hyperParameters,
        List.copyOf(data),
        BuildInfo.environment(),
        lineage.baseModelSha256(),
        lineage.parentManifestSha256());
  }

  /** What this model started from. */
  @JsonIgnore
  public Lineage lineage() {
    return new Lineage(baseModel, baseModelSha256, parentBundle, parentManifestSha256);
  }
}
