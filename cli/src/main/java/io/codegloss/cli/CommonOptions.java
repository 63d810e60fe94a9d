package io.codegloss.cli;

import io.codegloss.core.config.Variable;
import io.codegloss.core.db.DbSettings;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every command takes: where the settings and the database are. */
final class CommonOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "settings file (Java properties keyed by variable name); default CODEGLOSS_CONFIG or"
              + " $CODEGLOSS_HOME/config.properties")
  @Nullable Path config;

  @Variable(DbSettings.URL)
  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description =
          "PostgreSQL, jdbc:postgresql://host:5432/db or postgres://user:pw@host/db; default the"
              + " embedded server (CODEGLOSS_DB_URL)")
  @Nullable String dbUrl;
}
