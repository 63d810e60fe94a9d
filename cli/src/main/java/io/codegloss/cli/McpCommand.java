package io.codegloss.cli;

import io.codegloss.cli.mcp.CodeglossMcpServer;
import io.codegloss.cli.mcp.CodeglossTools;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.error.PermanentException;
import io.codegloss.scheduler.index.RepoQueries;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "mcp",
    description =
        "A Model Context Protocol server on stdio for the repository containing the current"
            + " directory (or --repo PATH): tools search_code, get_span, callers, callees,"
            + " file_outline, repository_status. Logs go to the log file only.")
final class McpCommand extends CliCommand {

  @Option(
      names = "--repo",
      paramLabel = "PATH",
      description = "any path inside an indexed repository; default the current directory")
  @Nullable Path repo;

  /** stdout carries the protocol: the console gets no log line at all. */
  @Override
  String consoleLevel() {
    return "OFF";
  }

  @Override
  int run(Context ctx) {
    PrintStream protocol = ctx.out().stdout();
    // Whatever else writes to System.out (a library's banner, a stray print) would corrupt the
    // protocol: from here on it lands on stderr.
    if (System.out == protocol) {
      System.setOut(ctx.err());
    }
    Settings s = settings(ctx);
    Path anchor = (repo == null ? Path.of("") : repo).toAbsolutePath().normalize();
    if (repo != null && !Files.exists(anchor)) {
      throw new PermanentException("--repo " + anchor + " does not exist");
    }
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "mcp", 4)) {
      RepoQueries q = new RepoQueries(db.database());
      long repoId =
          q.repoIdFor(anchor)
              .orElseThrow(
                  () ->
                      new PermanentException(
                          anchor
                              + " is not inside an indexed repository (run 'codegloss index PATH'"
                              + " first, or give --repo PATH)"));
      String root =
          q.status().stream()
              .filter(r -> r.repoId() == repoId)
              .map(r -> r.root())
              .findFirst()
              .orElseThrow();
      new CodeglossMcpServer(new CodeglossTools(db.database(), repoId, root), CodeglossMain.VERSION)
          .serve(System.in, protocol);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
