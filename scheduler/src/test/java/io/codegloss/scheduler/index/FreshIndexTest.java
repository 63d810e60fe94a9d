package io.codegloss.scheduler.index;

import io.codegloss.core.db.Database;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the indexer's database tests stand on: per test, a repository in a temporary folder, a fresh
 * database, and an {@link IndexFixture} on both. Subclasses fill the repository.
 */
abstract class FreshIndexTest {

  @TempDir Path repo;
  Database db;
  IndexFixture fx;
  private TestDatabase testDb;

  @BeforeEach
  void freshDatabase() {
    testDb = TestDatabase.fresh();
    db = testDb.database();
    fx = new IndexFixture(db, repo);
  }

  @AfterEach
  void closeDatabase() {
    testDb.close();
  }
}
