package dev.candor.stream.serving;

import dev.candor.model.bundle.ModelBundle;
import dev.candor.model.provenance.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches a model bundle announced by an {@code http:} or {@code https:} URI, so that instances on
 * other hosts need no shared filesystem: {@code <uri>/MANIFEST.sha256} first, which must hash to
 * the update's sha256 (else {@link BundleMismatchException}, the update is refused), then each file
 * it lists, each checked against its manifest sha256 while it streams to disk. The verified bundle
 * is renamed into {@code <cache>/<manifest sha256>} only when complete, and reused from there.
 */
final class RemoteBundles {

  private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *]([A-Za-z0-9._-]+)");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final HttpClient http;
  private final Path cache;

  RemoteBundles(HttpClient http, Path cache) {
    this.http = http;
    this.cache = cache;
  }

  /** Whether {@code uri} names a bundle this class fetches. */
  static boolean isRemote(String uri) {
    String u = uri.toLowerCase(Locale.ROOT);
    return u.startsWith("http://") || u.startsWith("https://");
  }

  /**
   * Downloads and verifies the bundle, or returns the verified copy fetched before.
   *
   * @param uri the bundle's base URI (a trailing slash is added when missing)
   * @param expectedSha256 the manifest sha256 the update announced
   * @return the local bundle directory
   * @throws BundleMismatchException if the served manifest is not the announced one
   * @throws IOException if a download fails or a file does not match its manifest line
   */
  Path fetch(String uri, String expectedSha256) throws IOException {
    URI base = URI.create(uri.endsWith("/") ? uri : uri + "/");
    String expected = expectedSha256.toLowerCase(Locale.ROOT);
    Path target = cache.resolve(expected);
    if (Files.isDirectory(target)) {
      try {
        if (expected.equals(ModelBundle.verify(target))) {
          return target;
        }
      } catch (IOException e) {
        // a damaged earlier copy: fetch again below
      }
    }
    byte[] manifest = get(base.resolve(ModelBundle.MANIFEST)).readAllBytes();
    String actual = Hashing.sha256(manifest);
    if (!actual.equalsIgnoreCase(expected)) {
      throw new BundleMismatchException(
          base + " serves manifest sha256 " + actual + ", the update announced " + expected);
    }
    Map<String, String> files = parse(new String(manifest, StandardCharsets.UTF_8), base);
    Files.createDirectories(cache);
    Path tmp = Files.createTempDirectory(cache, ".fetch-");
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        download(base.resolve(f.getKey()), tmp.resolve(f.getKey()), f.getValue());
      }
      Files.write(tmp.resolve(ModelBundle.MANIFEST), manifest);
      if (Files.exists(target)) {
        deleteRecursively(target); // an incomplete or corrupted earlier copy
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(tmp)) {
        deleteRecursively(tmp);
      }
    }
    return target;
  }

  private static Map<String, String> parse(String manifest, URI base) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    for (String line : manifest.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      var m = LINE.matcher(line.strip());
      // Plain file names only: a manifest must not write outside the bundle directory.
      if (!m.matches() || m.group(2).startsWith(".")) {
        throw new IOException(base + ModelBundle.MANIFEST + ": bad line '" + line + "'");
      }
      files.put(m.group(2), m.group(1).toLowerCase(Locale.ROOT));
    }
    if (files.isEmpty()) {
      throw new IOException(base + ModelBundle.MANIFEST + " lists no files");
    }
    return files;
  }

  private void download(URI from, Path to, String sha256) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(get(from), digest);
        OutputStream out = Files.newOutputStream(to)) {
      in.transferTo(out);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(sha256)) {
      throw new IOException(from + " has sha256 " + actual + ", its manifest says " + sha256);
    }
  }

  private InputStream get(URI uri) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    HttpResponse<InputStream> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri, e);
    }
    if (r.statusCode() != 200) {
      r.body().close();
      throw new IOException("GET " + uri + " answered " + r.statusCode());
    }
    return r.body();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
