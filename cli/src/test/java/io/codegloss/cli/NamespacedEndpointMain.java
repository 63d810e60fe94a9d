package io.codegloss.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.codegloss.bench.FixedLatencyEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The bench's FIXED-LATENCY ENDPOINT (no model) in a JVM of its own, for a worker in a network
 * namespace: 127.0.0.1 there is the namespace's own loopback, so its model server must live there
 * too. A thin front prints {@code RECEIVED} for each chat completion, holds it for the latency
 * given, then passes it on and prints {@code ANSWERED delivered} or {@code ANSWERED client-gone}
 * (the worker had given up the call), so that a test knows when a late answer was due and whether
 * it reached the worker. Prints its base URL first; serves until its standard input closes.
 */
public final class NamespacedEndpointMain {

  private NamespacedEndpointMain() {}

  public static void main(String[] args) throws IOException {
    long latencyMillis = Long.parseLong(args[0]);
    HttpClient client = HttpClient.newHttpClient();
    try (FixedLatencyEndpoint inner = FixedLatencyEndpoint.start(Duration.ZERO)) {
      HttpServer front =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      front.setExecutor(Executors.newCachedThreadPool());
      front.createContext(
          "/",
          ex -> {
            try {
              forward(ex, client, inner, latencyMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      front.start();
      String model = "fixed-latency-" + latencyMillis + "ms";
      System.out.println(
          "ENDPOINT http://127.0.0.1:" + front.getAddress().getPort() + "/v1 " + model);
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes our input or dies
      }
      front.stop(0);
    }
    System.exit(0);
  }

  private static void forward(
      HttpExchange ex, HttpClient client, FixedLatencyEndpoint inner, long latencyMillis)
      throws IOException, InterruptedException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String path = ex.getRequestURI().getPath();
    boolean chat = path.endsWith("/chat/completions");
    if (chat) {
      System.out.println("RECEIVED");
      System.out.flush();
      Thread.sleep(latencyMillis);
    }
    String outcome = "client-gone";
    try {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(URI.create(inner.baseUrl().replace("/v1", "") + path))
                  .header("Content-Type", "application/json")
                  .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(r.statusCode(), r.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
      outcome = "delivered";
    } catch (IOException | RuntimeException e) {
      outcome = "client-gone (" + e + ")";
    } finally {
      if (chat) {
        System.out.println("ANSWERED " + outcome);
        System.out.flush();
      }
    }
  }
}
