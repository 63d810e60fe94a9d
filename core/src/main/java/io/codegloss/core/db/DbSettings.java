package io.codegloss.core.db;

import org.jspecify.annotations.Nullable;

/**
 * Where the database is. A null url means the embedded default under {@code CODEGLOSS_HOME}.
 *
 * @param url a JDBC url such as {@code jdbc:postgresql://db:5432/codegloss}, or null
 * @param user the user name, or null to take it from the url
 * @param password the password, or null; never logged
 */
public record DbSettings(@Nullable String url, @Nullable String user, @Nullable String password) {

  @Override
  public String toString() {
    return "DbSettings[url="
        + url
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "***")
        + "]";
  }
}
