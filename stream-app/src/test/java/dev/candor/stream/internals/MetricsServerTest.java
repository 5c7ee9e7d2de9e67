package dev.candor.stream.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServePrometheusMetricsAndAHealthCheckThatFollowsTheApp() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new StreamMetrics(registry).deadLetter("EMPTY_TEXT");
    AtomicBoolean healthy = new AtomicBoolean(true);
    try (MetricsServer server =
        new MetricsServer(
            "127.0.0.1",
            0,
            registry,
            () -> new MetricsServer.Health(healthy.get(), healthy.get() ? "RUNNING" : "ERROR"))) {
      HttpResponse<String> metrics = get(server.port(), "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(
          metrics.body().contains("candor_dead_letters_total{reason=\"EMPTY_TEXT\"} 1.0"),
          metrics.body());
      assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

      assertEquals(200, get(server.port(), "/health").statusCode());
      healthy.set(false);
      HttpResponse<String> sick = get(server.port(), "/health");
      assertEquals(503, sick.statusCode());
      assertEquals("ERROR\n", sick.body());

      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
    }
  }
}
