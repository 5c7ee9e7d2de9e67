package dev.candor.model.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Where a model came from, embedded in its bundle (after Tribuo's model provenance).
 *
 * @param createdAt ISO-8601 instant
 * @param command the invocation that made it
 * @param baseModel the pre-trained weights it started from
 * @param parentBundle the bundle it was fine-tuned from, if any (version string)
 * @param gitCommit Candor's commit, or "unknown" outside a checkout
 * @param hyperParameters every training setting, including the seed
 * @param data data files read, each with its sha256
 * @param environment Java, OS, architecture, DJL and PyTorch versions
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(
    String createdAt,
    String command,
    String baseModel,
    String parentBundle,
    String gitCommit,
    Map<String, Object> hyperParameters,
    List<DataFile> data,
    Map<String, String> environment) {

  /** Provenance stamped now, with this process's environment and Candor's git commit. */
  public static Provenance now(
      String command,
      String baseModel,
      String parentBundle,
      Map<String, Object> hyperParameters,
      List<DataFile> data) {
    return new Provenance(
        java.time.Instant.now().toString(),
        command,
        baseModel,
        parentBundle,
        BuildInfo.gitCommit(),
        hyperParameters,
        data,
        BuildInfo.environment());
  }

  /** A data file as read: role (train/validation/…), path, sha256 and row count. */
  public record DataFile(String role, String path, String sha256, long rows) {}
}
