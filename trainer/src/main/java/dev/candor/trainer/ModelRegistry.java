package dev.candor.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.trainer.internals.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned models on disk:
 *
 * <pre>
 * root/versions/v0001/       a model bundle (config.json, model.safetensors, … MANIFEST.sha256)
 * root/records/v0001.json    its {@link VersionRecord}: parent, data, gate figures, decision
 * root/CURRENT               {@link RegistryState}: production version, history, published flag
 * root/DEAD-LETTERED         feedback offsets below which rejected records were dead-lettered
 * </pre>
 *
 * <p>Every change is crash-safe: bundles are written to a temporary directory and renamed into
 * place, then fsynced; records and {@code CURRENT} are replaced by write-temp, fsync, atomic
 * rename, fsync of the directory. A version becomes production only by the replacement of {@code
 * CURRENT}, after its bundle and record are durable, so no half-written version is ever current.
 * {@link #recover()} cleans what a crash leaves (a bundle without record) and finishes a promotion
 * whose record was written but whose {@code CURRENT} was not.
 */
public final class ModelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
  private static final Pattern VERSION = Pattern.compile("v\\d{4,}");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Called at named steps of a change; tests throw from it to simulate a crash there. */
  @FunctionalInterface
  public interface FaultHook {
    /**
     * Steps, in a round's order: "bundle-written", "record-written", "current-replaced",
     * "announced" (the update is on the topic, {@code CURRENT} does not say so yet), "published".
     */
    void at(String step) throws IOException;
  }

  private static final String DEAD_LETTERED = "DEAD-LETTERED";

  private final Path root;
  private final FaultHook hook;

  private ModelRegistry(Path root, FaultHook hook) {
    this.root = root.toAbsolutePath();
    this.hook = hook;
  }

  /** Opens (creating if needed) the registry under {@code root}. */
  public static ModelRegistry open(Path root) throws IOException {
    return open(root, step -> {});
  }

  /** Opens the registry with a fault-injection hook (tests). */
  public static ModelRegistry open(Path root, FaultHook hook) throws IOException {
    Files.createDirectories(root.resolve("versions"));
    Files.createDirectories(root.resolve("records"));
    return new ModelRegistry(root, hook);
  }

  public Path root() {
    return root;
  }

  /** The bundle directory of a version. */
  public Path bundleDir(String version) {
    checkName(version);
    return root.resolve("versions").resolve(version);
  }

  /** The state, or empty for a registry with no production version yet. */
  public Optional<RegistryState> state() throws IOException {
    Path f = root.resolve("CURRENT");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(f.toFile(), RegistryState.class));
  }

  /** The production version, if any. */
  public Optional<String> current() throws IOException {
    return state().map(RegistryState::current);
  }

  /** Every recorded version, oldest first. */
  public List<VersionRecord> records() throws IOException {
    List<VersionRecord> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root.resolve("records"))) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".json") && VERSION.matcher(name.replace(".json", "")).matches()) {
          out.add(JSON.readValue(p.toFile(), VersionRecord.class));
        }
      }
    }
    return out;
  }

  public Optional<VersionRecord> record(String version) throws IOException {
    checkName(version);
    Path p = root.resolve("records").resolve(version + ".json");
    return Files.exists(p)
        ? Optional.of(JSON.readValue(p.toFile(), VersionRecord.class))
        : Optional.empty();
  }

  /** The next free version name. */
  public String nextVersion() throws IOException {
    int max = 0;
    for (String dir : List.of("versions", "records")) {
      try (Stream<Path> s = Files.list(root.resolve(dir))) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString().replace(".json", "");
          if (VERSION.matcher(n).matches()) {
            max = Math.max(max, Integer.parseInt(n.substring(1)));
          }
        }
      }
    }
    return String.format("v%04d", max + 1);
  }

  /**
   * Feedback offsets of the newest recorded round (per partition, end exclusive); empty when none
   * was recorded. A round that crashed before its record was written does not count.
   */
  public Map<Integer, Long> lastOffsets() throws IOException {
    List<VersionRecord> all = records();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).feedbackOffsets() != null && !all.get(i).feedbackOffsets().isEmpty()) {
        return all.get(i).feedbackOffsets();
      }
    }
    return Map.of();
  }

  /**
   * Feedback end offsets (per partition) below which rejected records were already written to the
   * dead-letter topic: the larger of {@link #lastOffsets()} and what {@link #noteDeadLettered}
   * noted, so that a round killed after its dead letters (but before its record) does not write
   * them again when the next round reads the same records.
   */
  public Map<Integer, Long> deadLetteredOffsets() throws IOException {
    Map<Integer, Long> out = new java.util.HashMap<>(lastOffsets());
    Path f = root.resolve(DEAD_LETTERED);
    if (Files.exists(f)) {
      Map<Integer, Long> noted =
          JSON.readValue(
              f.toFile(),
              new com.fasterxml.jackson.core.type.TypeReference<Map<Integer, Long>>() {});
      noted.forEach((p, o) -> out.merge(p, o, Math::max));
    }
    return out;
  }

  /** Notes (atomically) that rejected records below {@code end} have been dead-lettered. */
  public void noteDeadLettered(Map<Integer, Long> end) throws IOException {
    Map<Integer, Long> merged = new java.util.TreeMap<>(deadLetteredOffsets());
    end.forEach((p, o) -> merged.merge(p, o, Math::max));
    Durable.writeAtomically(root.resolve(DEAD_LETTERED), JSON.writeValueAsBytes(merged));
  }

  /**
   * Imports an existing bundle as the first version and makes it production (unpublished).
   *
   * @return its record
   */
  public VersionRecord bootstrap(Path bundle) throws IOException {
    if (state().isPresent()) {
      throw new IllegalStateException("registry " + root + " already has a production version");
    }
    ModelBundle.verify(bundle);
    String version = nextVersion();
    Path tmp = Files.createTempDirectory(root.resolve("versions"), "." + version + ".tmp");
    try (Stream<Path> s = Files.list(bundle)) {
      for (Path f : s.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, tmp.resolve(f.getFileName()));
        }
      }
    }
    Files.move(tmp, bundleDir(version), StandardCopyOption.ATOMIC_MOVE);
    Durable.syncTree(bundleDir(version));
    ModelBundle b = ModelBundle.read(bundleDir(version));
    VersionRecord r =
        new VersionRecord(
            version,
            b.version(),
            b.manifestSha256(),
            null,
            Instant.now().toString(),
            VersionRecord.Decision.BOOTSTRAP,
            List.of("imported from " + bundle.toAbsolutePath()),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            0);
    saveRecord(r);
    makeCurrent(version);
    return r;
  }

  /** Fsyncs a bundle that {@code ModelBundle.write} put at {@link #bundleDir}. */
  public void bundleWritten(String version) throws IOException {
    Durable.syncTree(bundleDir(version));
    hook.at("bundle-written");
  }

  /** Stores a record (atomically). */
  public void saveRecord(VersionRecord r) throws IOException {
    checkName(r.version());
    Durable.writeAtomically(
        root.resolve("records").resolve(r.version() + ".json"), JSON.writeValueAsBytes(r));
    hook.at("record-written");
  }

  /**
   * Makes a version production: verifies its bundle, then replaces {@code CURRENT} (unpublished).
   */
  public void makeCurrent(String version) throws IOException {
    ModelBundle.verify(bundleDir(version));
    if (record(version).isEmpty()) {
      throw new IllegalArgumentException("version " + version + " has no record");
    }
    Optional<RegistryState> before = state();
    List<String> history = new ArrayList<>(before.map(RegistryState::history).orElse(List.of()));
    history.remove(version);
    history.add(version);
    List<String> withdrawn =
        new ArrayList<>(before.map(RegistryState::withdrawn).orElse(List.of()));
    withdrawn.remove(version);
    writeState(new RegistryState(version, history, false, withdrawn));
    hook.at("current-replaced");
  }

  /** Records that {@code version} (which must be current) was announced. */
  public void markPublished(String version) throws IOException {
    RegistryState s = state().orElseThrow();
    if (!s.current().equals(version)) {
      throw new IllegalStateException(version + " is not the current version " + s.current());
    }
    hook.at("announced");
    writeState(new RegistryState(s.current(), s.history(), true, s.withdrawn()));
    hook.at("published");
  }

  /**
   * Makes the previous production version current again.
   *
   * @return the version now current
   */
  public String rollback() throws IOException {
    RegistryState s = state().orElseThrow(() -> new IllegalStateException("registry is empty"));
    if (s.history().size() < 2) {
      throw new IllegalStateException("no earlier production version to roll back to");
    }
    List<String> history = new ArrayList<>(s.history());
    String retired = history.remove(history.size() - 1);
    String previous = history.get(history.size() - 1);
    ModelBundle.verify(bundleDir(previous));
    List<String> withdrawn = new ArrayList<>(s.withdrawn());
    withdrawn.add(retired);
    writeState(new RegistryState(previous, history, false, withdrawn));
    hook.at("current-replaced");
    return previous;
  }

  /**
   * Repairs what a crash can leave: deletes bundles without a record and temporary files, and
   * completes a promotion whose PROMOTE record is newer than the current version.
   *
   * @return what was done, one line each
   */
  public List<String> recover() throws IOException {
    List<String> notes = new ArrayList<>();
    try (Stream<Path> s = Files.list(root.resolve("versions"))) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(".")) {
          Durable.deleteTree(p);
          notes.add("deleted temporary " + n);
        } else if (VERSION.matcher(n).matches() && record(n).isEmpty()) {
          Durable.deleteTree(p);
          notes.add("deleted " + n + ": bundle without record (round interrupted)");
        }
      }
    }
    try (Stream<Path> s = Files.list(root.resolve("records"))) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith(".")) {
          Files.deleteIfExists(p);
        }
      }
    }
    Optional<RegistryState> st = state();
    List<VersionRecord> all = records();
    if (!all.isEmpty()) {
      VersionRecord newest = all.get(all.size() - 1);
      boolean newer = st.isEmpty() || newest.version().compareTo(st.get().current()) > 0;
      boolean wasProduction =
          st.isPresent()
              && (st.get().history().contains(newest.version())
                  || st.get().withdrawn().contains(newest.version()));
      if (newest.decision() == VersionRecord.Decision.PROMOTE && newer && !wasProduction) {
        makeCurrent(newest.version());
        notes.add("completed the promotion of " + newest.version());
      }
    }
    for (String n : notes) {
      LOG.info("registry recovery: {}", n);
    }
    return notes;
  }

  private void writeState(RegistryState s) throws IOException {
    Durable.writeAtomically(root.resolve("CURRENT"), JSON.writeValueAsBytes(s));
  }

  private static void checkName(String version) {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("not a registry version name: " + version);
    }
  }
}
