package dev.candor.stream.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.candor.model.DeviceChoice;
import dev.candor.model.TestModels;
import dev.candor.model.bundle.ModelBundle;
import dev.candor.schemas.avro.ModelUpdate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles announced by http URIs: fetched, checked file by file, cached; bad ones never used. */
class RemoteBundlesTest {

  @TempDir Path tmp;

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String tamperedFile;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldFetchEveryFileAndReuseTheVerifiedCopy() throws Exception {
    ModelBundle b = TestModels.writeBundle(tmp.resolve("served/v2"), true, 2.0, 5);
    String base = serve(tmp.resolve("served")) + "v2";
    RemoteBundles remote = new RemoteBundles(HttpClient.newHttpClient(), tmp.resolve("cache"));

    Path got = remote.fetch(base, b.manifestSha256());
    int afterFirst = requests.get();
    Path again = remote.fetch(base + "/", b.manifestSha256());

    assertEquals(b.manifestSha256(), ModelBundle.verify(got));
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
      assertArrayEquals(Files.readAllBytes(b.dir().resolve(f)), Files.readAllBytes(got.resolve(f)));
    }
    assertEquals(got, again);
    assertEquals(afterFirst, requests.get(), "the second fetch is served from the cache");
  }

  @Test
  void shouldRefuseAManifestThatIsNotTheAnnouncedOne() throws Exception {
    TestModels.writeBundle(tmp.resolve("served/v2"), true, 2.0, 5);
    String base = serve(tmp.resolve("served")) + "v2/";
    RemoteBundles remote = new RemoteBundles(HttpClient.newHttpClient(), tmp.resolve("cache"));

    assertThrows(BundleMismatchException.class, () -> remote.fetch(base, "ab".repeat(32)));
  }

  @Test
  void shouldFailOnAFileThatDoesNotMatchItsManifestLine() throws Exception {
    ModelBundle b = TestModels.writeBundle(tmp.resolve("served/v2"), true, 2.0, 5);
    String base = serve(tmp.resolve("served")) + "v2/";
    tamperedFile = "model.safetensors";
    RemoteBundles remote = new RemoteBundles(HttpClient.newHttpClient(), tmp.resolve("cache"));

    IOException e = assertThrows(IOException.class, () -> remote.fetch(base, b.manifestSha256()));
    assertFalse(e instanceof BundleMismatchException, e.toString());
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("cache").resolve(b.manifestSha256())), "nothing cached");
    try (var s = Files.list(tmp.resolve("cache"))) {
      assertEquals(0, s.count(), "no partial download left");
    }
  }

  @Test
  void shouldSwapToAnHttpBundleAndCountFailuresAndRefusals() throws Exception {
    Path first = TestModels.writeBundle(tmp.resolve("a"), true, 2.0, 1).dir();
    ModelBundle second = TestModels.writeBundle(tmp.resolve("served/v2"), true, 2.0, 2);
    String base = serve(tmp.resolve("served")) + "v2";
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ModelHandle handle = ModelHandle.load(first, DeviceChoice.CPU, registry)) {
      assertFalse(handle.swapNow(update("bad", base, "cd".repeat(32))));
      assertTrue(handle.swapNow(update("v2", base, second.manifestSha256())));
      assertEquals("v2", handle.version());
      assertEquals(
          1.0, registry.get("candor.model.swaps").tag("outcome", "refused").counter().count());
      assertEquals(
          1.0, registry.get("candor.model.swaps").tag("outcome", "applied").counter().count());
    }
  }

  private static ModelUpdate update(String version, String uri, String sha) {
    return ModelUpdate.newBuilder()
        .setModelName("candor")
        .setVersion(version)
        .setUri(uri)
        .setSha256(sha)
        .setMetrics(Map.of())
        .setCreatedAtMs(System.currentTimeMillis())
        .build();
  }

  /** Serves {@code root}'s files over http; returns the base URL ending in '/'. */
  private String serve(Path root) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          requests.incrementAndGet();
          try (ex) {
            Path f = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(root) || !Files.isRegularFile(f)) {
              ex.sendResponseHeaders(404, -1);
              return;
            }
            byte[] body = Files.readAllBytes(f);
            if (f.getFileName().toString().equals(tamperedFile)) {
              body[body.length - 1] ^= 1;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }
}
