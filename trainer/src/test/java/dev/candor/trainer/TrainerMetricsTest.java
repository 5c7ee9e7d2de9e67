package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {

  @Test
  void shouldCountRoundsByDecisionOnTheScrapeEndpoint() throws Exception {
    try (TrainerMetrics metrics = new TrainerMetrics().serve(0)) {
      Trainer.Listener listener = Trainer.Listener.all(Trainer.Listener.NONE, metrics);
      listener.onRoundEnd(outcome(VersionRecord.Decision.REFUSE));
      listener.onRoundEnd(outcome(VersionRecord.Decision.REFUSE));
      listener.onRoundEnd(outcome(VersionRecord.Decision.PROMOTE));
      listener.onRoundEnd(RoundOutcome.skipped("no usable training feedback"));

      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertEquals(200, r.statusCode());
      String body = r.body();
      assertTrue(body.contains("candor_trainer_rounds_total{decision=\"refuse\"} 2.0"), body);
      assertTrue(body.contains("candor_trainer_rounds_total{decision=\"promote\"} 1.0"), body);
      assertTrue(body.contains("candor_trainer_rounds_total{decision=\"skipped\"} 1.0"), body);
    }
  }

  private static RoundOutcome outcome(VersionRecord.Decision decision) {
    return new RoundOutcome(
        "v0002", decision, List.of(), Map.of(), Map.of(), Map.of(), false, 0, 0);
  }
}
