package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A codegloss subcommand. picocli fills the options; {@link CodeglossMain} then calls {@link #run}
 * with the context, so that every command reports failures the same way.
 */
abstract class CliCommand {

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  /** Runs the command; returns the exit code. Failures are thrown as CodeglossExceptions. */
  abstract int run(Context ctx);

  /** Long-running processes log INFO on the console; one-shot commands only warnings. */
  boolean longRunning() {
    return false;
  }

  /** The console's log level: long-running processes INFO, one-shot commands only warnings. */
  String consoleLevel() {
    return longRunning() ? "INFO" : "WARN";
  }

  /**
   * flag &gt; environment &gt; config file &gt; default, the flags read from this command's
   * options.
   */
  Settings settings(Context ctx) {
    return Settings.load(
        SettingFlags.values(spec), SettingFlags.names(spec), ctx.env(), configFile(ctx));
  }

  /** --config, else CODEGLOSS_CONFIG, else $CODEGLOSS_HOME/config.properties (may be missing). */
  Path configFile(Context ctx) {
    if (common.config != null) {
      if (!Files.isRegularFile(common.config)) {
        throw new ConfigException("config file " + common.config + " does not exist");
      }
      return common.config;
    }
    return Settings.configFile(ctx.env(), ctx.home());
  }
}
