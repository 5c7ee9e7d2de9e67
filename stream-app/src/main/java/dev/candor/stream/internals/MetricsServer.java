package dev.candor.stream.internals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny HTTP server: {@code GET /metrics} (Prometheus text format) and {@code GET /health} (200
 * when healthy, 503 otherwise, with the state as the body). The JDK server is enough for a scrape
 * every few seconds and adds no dependency.
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  /** A health report: whether the app is serving, and a one-line state for humans. */
  public record Health(boolean healthy, String state) {}

  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Starts the server.
   *
   * @param host bind address
   * @param port port, 0 for any free one
   * @param registry what /metrics renders
   * @param health what /health reports
   * @throws IOException if the port cannot be bound
   */
  public MetricsServer(
      String host, int port, PrometheusMeterRegistry registry, Supplier<Health> health)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "candor-metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext(
        "/health",
        ex -> {
          Health h = health.get();
          respond(ex, h.healthy() ? 200 : 503, "text/plain; charset=utf-8", h.state() + "\n");
        });
    server.start();
    LOG.info("Metrics on http://{}:{}/metrics and /health", host, port());
  }

  /**
   * The bound port.
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", contentType);
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** {@inheritDoc} */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
