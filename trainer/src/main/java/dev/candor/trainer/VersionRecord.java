package dev.candor.trainer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Everything the registry knows about one version besides its bundle: where it came from, the data
 * it saw, the gate's figures and its decision. Stored as {@code records/<version>.json}.
 *
 * @param version registry version name ({@code v0001} …), also the bundle directory's name
 * @param bundleVersion the bundle's own version string ({@code v0001@<sha>}), as predictions carry
 * @param sha256 sha256 of the bundle's manifest
 * @param parent the production version it was fine-tuned from, or null
 * @param createdAt ISO-8601 instant
 * @param decision what the gate decided
 * @param reasons for a refusal: each figure that failed, with both values and the tolerance
 * @param candidate gate figures of this version
 * @param production gate figures of the parent on the same held-out set
 * @param tolerances the tolerances applied
 * @param feedbackOffsets per partition, the end offset (exclusive) of the feedback the round read
 * @param dataHashes sha256 of each data source (feedback set, replay file, validation file)
 * @param counts sizes: feedback items, resolved texts, training rows, replay rows, held-out rows
 * @param trainSeconds wall time of the fine-tuning
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionRecord(
    String version,
    String bundleVersion,
    String sha256,
    String parent,
    String createdAt,
    Decision decision,
    List<String> reasons,
    Map<String, Double> candidate,
    Map<String, Double> production,
    Map<String, Double> tolerances,
    Map<Integer, Long> feedbackOffsets,
    Map<String, String> dataHashes,
    Map<String, Integer> counts,
    double trainSeconds) {

  /** The gate's verdict. */
  public enum Decision {
    /** The first version, imported from a bundle; no gate. */
    BOOTSTRAP,
    /** Passed the gate; promoted (or being promoted) to production. */
    PROMOTE,
    /** Failed the gate; never published. */
    REFUSE
  }
}
