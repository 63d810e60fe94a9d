package io.codegloss.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/** The top of the command tree; {@code codegloss} alone prints its help. */
@Command(
    name = "codegloss",
    // -h/--help and -V/--version and the footer on every subcommand too
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = CodeglossCommand.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "LLM-written notes for every function, method and class of a repository.",
    footer = {
      "",
      "Settings: flag > environment > config file > default; every setting is named by its"
          + " environment variable (README.md lists them all).",
      "Exit codes: 0 success, 1 failure, 2 bad usage or setting."
    },
    subcommands = {
      IndexCommand.class,
      StatusCommand.class,
      SpansCommand.class,
      PlanCommand.class,
      EnqueueCommand.class,
      SchedulerCommand.class,
      WorkerCommand.class,
      DashboardCommand.class,
      UpCommand.class,
      ShowCommand.class,
      McpCommand.class,
      SearchCommand.class,
      StatsCommand.class,
      BenchCommand.class,
      VersionCommand.class,
      HelpCommand.class
    })
final class CodeglossCommand {

  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"codegloss " + CodeglossMain.VERSION};
    }
  }
}
