package dev.candor.kafka.internals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks free loopback ports before the broker starts.
 *
 * <p>KRaft needs the controller address in {@code controller.quorum.voters} before anything binds,
 * so port 0 ("any") cannot be used for the controller; and clients need the broker port to be known
 * up front too. Another process can grab a port between this check and the bind; {@link
 * dev.candor.kafka.EmbeddedKafka} retries with fresh ports when that happens.
 */
public final class FreePorts {

  private FreePorts() {}

  /**
   * Returns a port that was free on 127.0.0.1 a moment ago.
   *
   * @return the port number
   */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      // No SO_REUSEADDR: the port must not be one a closing connection still holds.
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on the loopback interface", e);
    }
  }
}
