package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.report.QueueHealth;
import io.codegloss.dashboard.DashboardSettings;
import io.codegloss.scheduler.index.RepoQueries;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description =
        "Per repository: files, spans by language and kind, pending count; the queue by kind and"
            + " state, live workers, and jobs too large for every live worker.")
final class StatusCommand extends CliCommand {

  @Option(names = "--json", description = "print as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    int deadSeconds = DashboardSettings.workerDeadSeconds(s);
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "status", 2)) {
      var repos = new RepoQueries(db.database()).status();
      QueueHealth.Snapshot queue = new QueueHealth(db.database(), deadSeconds).snapshot();
      if (json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("repositories", repos);
        out.put("queue", queue);
        ctx.out().json(out);
      } else {
        Reports.status(ctx.out(), repos, queue);
      }
    }
    return 0;
  }
}
