package dev.candor.trainer;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The trainer's Prometheus endpoint: {@code candor.trainer.rounds{decision}} counts every round by
 * what came of it ({@code promote}, {@code refuse}, or {@code skipped} when a round did not train,
 * e.g. no usable feedback), so that operators are told when the gate keeps refusing candidates
 * (alert {@code CandorTrainerGateRefusals} in {@code monitoring/}). Listens on all interfaces, as a
 * container's scrape target must; serves {@code GET /metrics} only.
 */
public final class TrainerMetrics implements Trainer.Listener, AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpServer server;

  /** Creates the meters; {@link #serve} starts the endpoint. */
  public TrainerMetrics() {
    for (String decision : new String[] {"promote", "refuse", "skipped"}) {
      rounds(decision); // present at 0 from the first scrape, so increase() sees the first round
    }
  }

  /**
   * Serves {@code /metrics} on {@code port}.
   *
   * @param port a free port, or 0 for any (see {@link #port()})
   * @return this
   * @throws IOException if the port cannot be bound
   */
  public TrainerMetrics serve(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          boolean get = "GET".equals(exchange.getRequestMethod());
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(get ? 200 : 405, get ? body.length : -1);
          try (OutputStream out = exchange.getResponseBody()) {
            if (get) {
              out.write(body);
            }
          }
        });
    server.start();
    return this;
  }

  /** The bound port, or -1 when not serving. */
  public int port() {
    return server == null ? -1 : server.getAddress().getPort();
  }

  /** The text a scrape returns. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void onRoundEnd(RoundOutcome outcome) {
    String decision =
        outcome.decision() == null ? "skipped" : outcome.decision().name().toLowerCase(Locale.ROOT);
    rounds(decision).increment();
  }

  private Counter rounds(String decision) {
    return Counter.builder("candor.trainer.rounds")
        .description("Trainer rounds by outcome: promote, refuse, or skipped (nothing to train)")
        .tag("decision", decision)
        .register(registry);
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    registry.close();
  }
}
