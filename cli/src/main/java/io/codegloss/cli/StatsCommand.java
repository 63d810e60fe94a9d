package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.report.StatsQuery;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "stats",
    description =
        "By mode (batch/single), model and worker: jobs, calls, spans per call, tokens and seconds"
            + " per span, first-try valid rate, spans salvaged, spans re-enqueued as single.")
final class StatsCommand extends CliCommand {

  @Option(names = "--json", description = "print as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "stats", 2)) {
      List<StatsQuery.Row> rows = new StatsQuery(db.database()).byModeModelWorker();
      if (json) {
        ctx.out().json(Map.of("rows", rows));
      } else {
        Reports.stats(ctx.out(), rows);
      }
    }
    return 0;
  }
}
