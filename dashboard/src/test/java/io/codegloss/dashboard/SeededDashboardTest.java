package io.codegloss.dashboard;

import io.codegloss.core.db.Database;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the API tests stand on: per test, a fresh database for {@link #seed} to fill, a dashboard
 * serving it on a free port (no credentials), and an {@link #http} client of that dashboard.
 */
abstract class SeededDashboardTest {

  Database db;
  Seed seed;
  DashboardServer server;
  Http http;
  private TestDatabase testDb;

  @BeforeEach
  void startDashboardOnAFreshDatabase() {
    testDb = TestDatabase.fresh();
    db = testDb.database();
    seed = Seed.into(testDb);
    server =
        new DashboardServer(
                db, new DashboardSettings(0, 45, "http://jobrunr.test:8000", 1, null, null))
            .start(0);
    http = new Http(server.port());
  }

  @AfterEach
  void stopDashboard() {
    server.stop();
    testDb.close();
  }
}
