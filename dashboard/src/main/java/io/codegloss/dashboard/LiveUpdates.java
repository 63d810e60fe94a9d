package io.codegloss.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.thread.DaemonThreads;
import io.codegloss.dashboard.view.DashboardQueries;
import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one snapshot to every open page every few seconds. The snapshot is read once per tick
 * whatever the number of pages, and not at all while no page is open.
 */
final class LiveUpdates {

  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

  private final DashboardQueries queries;
  private final ObjectMapper json;
  private final int refreshSeconds;
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();
  private ScheduledExecutorService timer;

  LiveUpdates(DashboardQueries queries, ObjectMapper json, int refreshSeconds) {
    this.queries = queries;
    this.json = json;
    this.refreshSeconds = refreshSeconds;
  }

  synchronized void start() {
    timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("dashboard-live"));
    timer.schedule(this::tickAndReschedule, refreshSeconds, TimeUnit.SECONDS);
  }

  /**
   * The snapshot reads every span once (progress), so on a large database it is not free: the pause
   * after a snapshot is at least four times what it took, keeping the dashboard's share of the
   * database to a fifth at most.
   */
  private void tickAndReschedule() {
    long started = System.nanoTime();
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("dashboard live update failed: {}", e.toString());
    }
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    long delay = Math.max(refreshSeconds * 1000L, 4 * tookMillis);
    synchronized (this) {
      if (timer != null && !timer.isShutdown()) {
        timer.schedule(this::tickAndReschedule, delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    for (SseClient c : clients) {
      c.close();
    }
    clients.clear();
  }

  void accept(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    send(client, event());
  }

  int openPages() {
    return clients.size();
  }

  private void tick() {
    if (clients.isEmpty()) {
      return;
    }
    Event e = event();
    for (SseClient c : clients) {
      if (c.terminated()) {
        clients.remove(c);
      } else {
        send(c, e);
      }
    }
  }

  private record Event(String name, String data, String id) {}

  private Event event() {
    String id = Long.toString(sequence.incrementAndGet());
    try {
      return new Event("snapshot", json.writeValueAsString(queries.snapshot()), id);
    } catch (CodeglossException e) {
      log.warn("dashboard cannot read the database: {}", e.oneLine());
      return new Event("problem", problem(e.oneLine()), id);
    } catch (JsonProcessingException e) {
      log.error("dashboard cannot serialise a snapshot", e);
      return new Event("problem", problem("cannot serialise the snapshot"), id);
    }
  }

  private String problem(String message) {
    try {
      return json.writeValueAsString(Map.of("error", message));
    } catch (JsonProcessingException e) {
      return "{\"error\":\"unknown\"}";
    }
  }

  private void send(SseClient client, Event e) {
    try {
      client.sendEvent(e.name(), e.data(), e.id());
    } catch (RuntimeException gone) {
      // The page went away between the check and the write.
      clients.remove(client);
    }
  }
}
