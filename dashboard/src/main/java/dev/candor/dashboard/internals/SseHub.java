package dev.candor.dashboard.internals;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The open server-sent-event streams of queue pages; told when new flagged items are stored. */
public final class SseHub {
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  // Sends happen here, not on the consumer's thread, so a slow browser cannot stall ingestion.
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "candor-dashboard-sse");
            t.setDaemon(true);
            return t;
          });

  /** Keeps a client until it disconnects. */
  public void add(SseClient client) {
    clients.add(client);
    client.onClose(() -> clients.remove(client));
    client.keepAlive();
    client.sendEvent("hello", "0");
  }

  /** Tells every client that {@code n} new flagged items were stored. */
  public void newFlags(int n) {
    sender.execute(() -> send(n));
  }

  private void send(int n) {
    for (SseClient c : clients) {
      try {
        c.sendEvent("flags", Integer.toString(n));
        if (c.terminated()) {
          clients.remove(c);
        }
      } catch (RuntimeException e) {
        clients.remove(c);
      }
    }
  }

  /**
   * @return number of open streams
   */
  public int size() {
    return clients.size();
  }

  /** Closes every stream. */
  public void closeAll() {
    sender.shutdownNow();
    for (SseClient c : clients) {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    clients.clear();
  }
}
