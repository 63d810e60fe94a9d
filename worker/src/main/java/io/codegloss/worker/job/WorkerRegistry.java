package io.codegloss.worker.job;

import io.codegloss.core.db.Database;
import java.sql.PreparedStatement;

/** The {@code workers} table: registration, heartbeat, state. */
public final class WorkerRegistry {

  private final Database db;

  public WorkerRegistry(Database db) {
    this.db = db;
  }

  public void register(WorkerIdentity w, String backend, String model, String version) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "insert into workers (name, host, max_tokens, concurrency, backend, model, version,"
                      + " state, current_jobs, started_at, last_heartbeat)"
                      + " values (?, ?, ?, ?, ?, ?, ?, 'running', 0, now(), now())"
                      + " on conflict (name) do update set host = excluded.host,"
                      + " max_tokens = excluded.max_tokens, concurrency = excluded.concurrency,"
                      + " backend = excluded.backend, model = excluded.model,"
                      + " version = excluded.version, state = 'running', current_jobs = 0,"
                      + " started_at = now(), last_heartbeat = now()")) {
            ps.setString(1, w.name());
            ps.setString(2, w.host());
            ps.setInt(3, w.maxTokens());
            ps.setInt(4, w.concurrency());
            ps.setString(5, backend);
            ps.setString(6, model);
            ps.setString(7, version);
            ps.executeUpdate();
          }
        });
  }

  public void heartbeat(String name, int currentJobs, String state) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update workers set last_heartbeat = now(), current_jobs = ?, state = ?"
                      + " where name = ?")) {
            ps.setInt(1, currentJobs);
            ps.setString(2, state);
            ps.setString(3, name);
            ps.executeUpdate();
          }
        });
  }
}
