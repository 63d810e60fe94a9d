package io.codegloss.core.db;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the database is. A null url means the embedded default under {@code CODEGLOSS_HOME}.
 *
 * @param url a JDBC url such as {@code jdbc:postgresql://db:5432/codegloss}, or null
 * @param user the user name, or null to take it from the url
 * @param password the password, or null; never logged
 * @param keepEmbedded leave an embedded server this process started running when it exits
 * @param socketTimeoutSeconds how long one wait for the server's answer may last before the
 *     connection is given up (0: for ever); see {@link #SOCKET_TIMEOUT}
 */
public record DbSettings(
    @Nullable String url,
    @Nullable String user,
    @Nullable String password,
    boolean keepEmbedded,
    int socketTimeoutSeconds) {

  public static final String URL = "CODEGLOSS_DB_URL";
  public static final String USER = "CODEGLOSS_DB_USER";
  public static final String PASSWORD = "CODEGLOSS_DB_PASSWORD";
  public static final String EMBEDDED_KEEP = "CODEGLOSS_EMBEDDED_KEEP";

  /**
   * A connection whose server vanished without a word (a failover, a host that died, a NAT that
   * forgot the flow) is never answered: without a bound, the thread waiting on it waits for ever
   * while the process's other connections, and so its heartbeats, carry on. A worker would hold its
   * job, looking alive, until restarted. No statement of ours takes minutes; an operator who runs
   * one (a migration on a huge database) can raise it, or set {@code socketTimeout} in the url,
   * which wins.
   */
  public static final String SOCKET_TIMEOUT = "CODEGLOSS_DB_SOCKET_TIMEOUT_SECONDS";

  public static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 300;

  public DbSettings(@Nullable String url, @Nullable String user, @Nullable String password) {
    this(url, user, password, false);
  }

  public DbSettings(
      @Nullable String url,
      @Nullable String user,
      @Nullable String password,
      boolean keepEmbedded) {
    this(url, user, password, keepEmbedded, DEFAULT_SOCKET_TIMEOUT_SECONDS);
  }

  /**
   * Reads {@code CODEGLOSS_DB_URL}, {@code CODEGLOSS_DB_USER}, {@code CODEGLOSS_DB_PASSWORD},
   * {@code CODEGLOSS_EMBEDDED_KEEP} and {@code CODEGLOSS_DB_SOCKET_TIMEOUT_SECONDS}. Besides JDBC
   * urls, the {@code postgresql://user:pw@host/db} form most hosting services hand out is accepted;
   * its user and password count as if given in the other two variables (which win when both are
   * set).
   */
  public static DbSettings from(Settings settings) {
    boolean keep = settings.onOff(EMBEDDED_KEEP, false);
    int socketTimeout =
        settings.intValue(SOCKET_TIMEOUT, DEFAULT_SOCKET_TIMEOUT_SECONDS, 0, 7 * 24 * 3600);
    Optional<String> raw = settings.optional(URL);
    String user = settings.optional(USER).orElse(null);
    String password = settings.optional(PASSWORD).orElse(null);
    if (raw.isEmpty()) {
      return new DbSettings(null, user, password, keep, socketTimeout);
    }
    String url = raw.get();
    if (url.startsWith("jdbc:postgresql:")) {
      return new DbSettings(url, user, password, keep, socketTimeout);
    }
    if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      return fromLibpqUrl(url, user, password, keep, socketTimeout, settings.source(URL));
    }
    throw new ConfigException(
        "invalid value for "
            + URL
            + " (from "
            + settings.source(URL)
            + "): expected jdbc:postgresql://host:port/database");
  }

  private static DbSettings fromLibpqUrl(
      String url,
      @Nullable String user,
      @Nullable String password,
      boolean keep,
      int socketTimeout,
      String source) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "invalid value for "
              + URL
              + " (from "
              + source
              + "): expected postgresql://user:password@host:port/database");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(
          "invalid value for " + URL + " (from " + source + "): the url names no host");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String u = colon < 0 ? userInfo : userInfo.substring(0, colon);
      String p = colon < 0 ? null : userInfo.substring(colon + 1);
      if (user == null && !u.isEmpty()) {
        user = URLDecoder.decode(u, StandardCharsets.UTF_8);
      }
      if (password == null && p != null) {
        password = URLDecoder.decode(p, StandardCharsets.UTF_8);
      }
    }
    String jdbc =
        "jdbc:postgresql://"
            + uri.getHost()
            + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
            + (uri.getRawPath() == null ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return new DbSettings(jdbc, user, password, keep, socketTimeout);
  }

  /** True when no url is set and the embedded server is used. */
  public boolean embedded() {
    return url == null;
  }

  @Override
  public String toString() {
    return "DbSettings[url="
        + (url == null ? "embedded" : Database.redact(url))
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "***")
        + ", keepEmbedded="
        + keepEmbedded
        + ", socketTimeoutSeconds="
        + socketTimeoutSeconds
        + "]";
  }
}
