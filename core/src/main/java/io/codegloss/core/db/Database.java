package io.codegloss.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The one way codegloss talks to PostgreSQL: a HikariCP pool plus explicit, visible transactions.
 * SQLExceptions are translated here into the error tree: connection trouble is retryable,
 * everything else (constraint violations, bad SQL) is permanent.
 */
public final class Database implements AutoCloseable {

  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface TxWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** Work done inside one transaction that returns nothing. */
  @FunctionalInterface
  public interface TxAction {
    void apply(Connection connection) throws SQLException;
  }

  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Opens a pool of at most {@code maxPoolSize} connections to a running server. */
  public static Database connect(
      String jdbcUrl, String user, String password, int maxPoolSize, String poolName) {
    return connect(
        jdbcUrl, user, password, maxPoolSize, poolName, DbSettings.DEFAULT_SOCKET_TIMEOUT_SECONDS);
  }

  /**
   * @param socketTimeoutSeconds the longest wait for one answer of the server before the connection
   *     is given up, 0 for none ({@link DbSettings#SOCKET_TIMEOUT}); a {@code socketTimeout} in the
   *     url wins
   */
  public static Database connect(
      String jdbcUrl,
      String user,
      String password,
      int maxPoolSize,
      String poolName,
      int socketTimeoutSeconds) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(1);
    config.setPoolName(poolName);
    config.setAutoCommit(true);
    config.setConnectionTimeout(10_000);
    // A batch of inserts goes to the server as multi-row statements: an indexed file's spans are
    // one statement (and one firing of the search triggers) instead of one per span.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
    // The kernel's probes of an idle connection (after its keepalive time, two hours by default):
    // one that a NAT or firewall dropped while idle in the pool is found out at last.
    config.addDataSourceProperty("tcpKeepAlive", "true");
    // Fail fast with our own message instead of Hikari's stack trace when the server is not there.
    config.setInitializationFailTimeout(-1);
    HikariDataSource ds = new HikariDataSource(config);
    Database db = new Database(ds);
    db.checkReachable(jdbcUrl);
    return db;
  }

  private void checkReachable(String jdbcUrl) {
    try (Connection c = dataSource.getConnection()) {
      c.isValid(5);
    } catch (SQLException e) {
      dataSource.close();
      throw new PermanentException(
          "cannot connect to the database at " + redact(jdbcUrl) + ": " + firstLine(e.getMessage()),
          e);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * A new connection outside the pool, with the pool's url, credentials and driver properties, for
   * a caller that holds it for the process's lifetime (a LISTEN) and would otherwise take a pooled
   * connection away for good. The caller closes it; {@code applicationName} shows in {@code
   * pg_stat_activity}.
   */
  public Connection openDedicated(String applicationName) throws SQLException {
    Properties props = new Properties();
    props.putAll(dataSource.getDataSourceProperties());
    if (dataSource.getUsername() != null) {
      props.setProperty("user", dataSource.getUsername());
    }
    if (dataSource.getPassword() != null) {
      props.setProperty("password", dataSource.getPassword());
    }
    props.setProperty("ApplicationName", applicationName);
    // Fail an attempt during an outage within seconds; the caller retries.
    props.putIfAbsent("connectTimeout", "5");
    // The driver itself rather than DriverManager: no dependence on service registration in a
    // repackaged jar.
    Connection c = new org.postgresql.Driver().connect(dataSource.getJdbcUrl(), props);
    if (c == null) {
      throw new SQLException("not a PostgreSQL url: " + redact(dataSource.getJdbcUrl()), "08001");
    }
    return c;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public <T> T inTransaction(TxWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  public void inTransaction(TxAction action) {
    inTransaction(
        c -> {
          action.apply(c);
          return null;
        });
  }

  /**
   * As {@link #inTransaction(TxWork)}, for a transaction whose loss in a crash of the database
   * server is repaired by doing it again: its commit does not wait for the disk ({@code
   * synchronous_commit = off}, for this transaction only). A server crash can lose the last such
   * commits (never part of one, never out of order: WAL is replayed in order), so the caller must
   * be idempotent and make sure that anything that depends on the commit being durable is committed
   * synchronously after it. The setting costs one round trip (it goes with the BEGIN), much less
   * than the wait for the disk it saves.
   */
  public <T> T inRedoableTransaction(TxWork<T> work) {
    return inTransaction(
        c -> {
          try (Statement st = c.createStatement()) {
            st.execute("set local synchronous_commit = off");
          }
          return work.apply(c);
        });
  }

  /** As {@link #inRedoableTransaction(TxWork)}, without a result. */
  public void inRedoableTransaction(TxAction action) {
    inRedoableTransaction(
        c -> {
          action.apply(c);
          return null;
        });
  }

  /** Runs {@code work} on one connection in auto-commit mode (for reads and single statements). */
  public <T> T withConnection(TxWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Connection-class SQL states (08xxx), admin shutdown (57P01) and serialization failures retry.
   */
  public static RuntimeException translate(SQLException e) {
    String state = e.getSQLState();
    String message = "database: " + firstLine(e.getMessage());
    if (state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P03")
            || state.equals("40001")
            || state.equals("40P01"))) {
      return new RetryableException(message, e);
    }
    if (e.getMessage() != null && e.getMessage().contains("Connection is not available")) {
      return new RetryableException(message, e);
    }
    return new PermanentException(message, e);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Strips a password from a JDBC url before it is shown anywhere. */
  public static String redact(String jdbcUrl) {
    return jdbcUrl == null
        ? ""
        : jdbcUrl
            .replaceAll("(?i)(password=)[^&;]*", "$1***")
            // user-info as in postgres://user:secret@host (and a jdbc url written the same way)
            .replaceAll("(//[^/@:]*:)[^/]*@", "$1***@");
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
