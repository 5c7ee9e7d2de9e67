package dev.candor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A newcomer's path: candor local, then candor produce and candor consume against it. */
@Tag("integration")
class LocalCommandIT {
  @TempDir Path tmp;

  @Test
  @Timeout(300)
  void shouldShowTheFirstExplainedPredictionThroughTheLocalStack() throws Exception {
    Path bundle = TinyBundle.write(tmp.resolve("tiny"), 7);
    java.io.StringWriter localOut = new java.io.StringWriter();
    ExecutorService exec = Executors.newSingleThreadExecutor();
    Future<Integer> local =
        exec.submit(
            () -> {
              var cl = CandorCommand.commandLine();
              cl.setOut(new java.io.PrintWriter(localOut, true));
              cl.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
              return cl.execute(
                  "local",
                  "--port",
                  "0",
                  "--model",
                  bundle.toString(),
                  "--metrics-port",
                  "0",
                  "--device",
                  "cpu",
                  "--dashboard-port",
                  "0",
                  "--dashboard-db",
                  "jdbc:h2:file:" + tmp.resolve("dashboard-db").toAbsolutePath(),
                  "--duration",
                  "240",
                  "--home",
                  tmp.resolve("home").toString(),
                  "--no-trainer");
            });
    Pattern bootstrap = Pattern.compile("bootstrap servers: (\\S+)");
    String servers = null;
    long until = System.currentTimeMillis() + 90_000;
    while (servers == null && System.currentTimeMillis() < until && !local.isDone()) {
      Matcher m = bootstrap.matcher(localOut.toString());
      if (m.find()) {
        servers = m.group(1);
      } else {
        Thread.sleep(200);
      }
    }
    assertTrue(servers != null, "candor local did not come up:\n" + localOut);
    // the review dashboard runs with it and asks for a login
    Matcher dash = Pattern.compile("review dashboard: (http://\\S+)").matcher(localOut.toString());
    assertTrue(dash.find(), localOut.toString());
    java.net.http.HttpResponse<String> login =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(dash.group(1) + "login"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode());
    assertTrue(login.body().contains("name=\"password\""), login.body());
    CliTest.Run produced =
        CliTest.run(
            "produce", "-b", servers, "you are all wonderful", "go back where you came from");
    assertEquals(0, produced.code(), produced.err());
    assertEquals(2, produced.out().lines().count(), produced.out());
    CliTest.Run consumed =
        CliTest.run(
            "consume",
            "-b",
            servers,
            "--from-beginning",
            "--max",
            "2",
            "--timeout",
            "60",
            "--json");
    assertEquals(0, consumed.code(), consumed.err());
    assertEquals(2, consumed.out().lines().count(), consumed.out() + consumed.err());
    for (String id : produced.out().lines().toList()) {
      assertTrue(consumed.out().contains(id), id + " in\n" + consumed.out());
    }
    assertTrue(consumed.out().contains("\"modelVersion\": \"tiny@"), consumed.out());

    // a newly published bundle is hot-swapped: later predictions name its version
    Path second = TinyBundle.write(tmp.resolve("second"), 8);
    CliTest.Run published =
        CliTest.run("publish-model", "-b", servers, "--bundle", second.toString());
    assertEquals(0, published.code(), published.err());
    String newVersion = published.out().split(" ")[1];
    assertTrue(newVersion.startsWith("second@"), published.out());
    boolean swapped = false;
    long swapDeadline = System.currentTimeMillis() + 30_000;
    while (!swapped && System.currentTimeMillis() < swapDeadline) {
      CliTest.Run more = CliTest.run("produce", "-b", servers, "after the swap");
      assertEquals(0, more.code(), more.err());
      CliTest.Run latest =
          CliTest.run(
              "consume",
              "-b",
              servers,
              "--from-beginning",
              "--max",
              "100",
              "--timeout",
              "3",
              "--json");
      swapped = latest.out().contains("\"modelVersion\": \"" + newVersion + "\"");
    }
    assertTrue(swapped, "no prediction by " + newVersion);
    exec.shutdownNow(); // interrupting candor local stops it: stream app, then broker
    assertTrue(exec.awaitTermination(60, TimeUnit.SECONDS), "candor local did not stop");
    assertEquals(0, local.get());
  }
}
