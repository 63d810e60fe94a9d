package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.report.StatsQuery;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.SpanStates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "stats",
    description =
        "By mode (batch/single), model and worker: jobs, calls, spans per call, tokens and seconds"
            + " per span, first-try valid rate, spans salvaged, spans re-enqueued as single,"
            + " secrets redacted from prompts; and every span by state.")
final class StatsCommand extends CliCommand {

  @Option(names = "--json", description = "print as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "stats", 2)) {
      List<StatsQuery.Row> rows = new StatsQuery(db.database()).byModeModelWorker();
      LlmCallTable.Redactions redactions = new StatsQuery(db.database()).redactions();
      SpanStates.Counts states = db.database().withConnection(c -> SpanStates.counts(c, null));
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("spans", states);
        m.put("secrets_redacted", redactions.secrets());
        m.put("calls_with_secrets_redacted", redactions.calls());
        ctx.out().json(m);
      } else {
        Reports.stats(ctx.out(), rows);
        ctx.out()
            .linef(
                "secrets redacted from prompts: %d (in %d calls)",
                redactions.secrets(), redactions.calls());
        ctx.out()
            .linef(
                "spans: %d, %d enriched (%d with model prose), %d facts only, %d prose failed,"
                    + " %d not indexed",
                states.spans(),
                states.enriched(),
                states.modelProse(),
                states.factsOnly(),
                states.failed(),
                states.notIndexed());
      }
    }
    return 0;
  }
}
