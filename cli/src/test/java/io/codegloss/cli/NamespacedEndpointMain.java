package io.codegloss.cli;

import io.codegloss.bench.FixedLatencyEndpoint;
import java.io.IOException;
import java.time.Duration;

/**
 * The bench's FIXED-LATENCY ENDPOINT (no model) in a JVM of its own, for a worker in a network
 * namespace: 127.0.0.1 there is the namespace's own loopback, so its model server must live there
 * too. Prints its base URL, serves until its standard input closes.
 */
public final class NamespacedEndpointMain {

  private NamespacedEndpointMain() {}

  public static void main(String[] args) throws IOException {
    try (FixedLatencyEndpoint endpoint =
        FixedLatencyEndpoint.start(Duration.ofMillis(Long.parseLong(args[0])))) {
      System.out.println("ENDPOINT " + endpoint.baseUrl() + " " + endpoint.modelName());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes our input or dies
      }
    }
    System.exit(0);
  }
}
