package io.codegloss.core.db;

import org.jspecify.annotations.Nullable;

/**
 * An open pool plus how to reach the same database from elsewhere (child processes get {@link
 * #jdbcUrl()}, {@link #user()} and {@link #password()} as CODEGLOSS_DB_URL and friends). Closing
 * closes the pool, then releases the embedded server if this process uses one.
 */
public final class OpenDatabase implements AutoCloseable {

  private final Database database;
  private final String jdbcUrl;
  private final @Nullable String user;
  private final @Nullable String password;
  private final @Nullable EmbeddedPostgres embedded;

  OpenDatabase(
      Database database,
      String jdbcUrl,
      @Nullable String user,
      @Nullable String password,
      @Nullable EmbeddedPostgres embedded) {
    this.database = database;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
  }

  public Database database() {
    return database;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public @Nullable String user() {
    return user;
  }

  /** Never log it. */
  public @Nullable String password() {
    return password;
  }

  /** True when this is the embedded server under CODEGLOSS_HOME. */
  public boolean embedded() {
    return embedded != null;
  }

  /** The embedded server's port, or -1 for an external database. */
  public int embeddedPort() {
    return embedded == null ? -1 : embedded.port();
  }

  @Override
  public void close() {
    try {
      database.close();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  @Override
  public String toString() {
    return "OpenDatabase[" + Database.redact(jdbcUrl) + (embedded() ? ", embedded" : "") + "]";
  }
}
