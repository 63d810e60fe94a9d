package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.report.Oversize;
import io.codegloss.core.store.WorkerTable;
import io.codegloss.dashboard.DashboardSettings;
import io.codegloss.scheduler.plan.OversizeJobs;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.plan.PlannedBatch;
import io.codegloss.worker.llm.LlmSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "plan",
    description =
        "Show the batches the planner would enqueue now from the pending spans, with the reason"
            + " each batch ended, the jobs larger than every live worker's limit, and the spans"
            + " that run with their code cut to fit a default worker; no model is called.")
final class PlanCommand extends CliCommand {

  @Parameters(
      arity = "0..1",
      paramLabel = "PATH",
      description = "an indexed repository (default: .)")
  @Nullable String path;

  @Mixin BatchOptions batch;

  @Option(names = "--json", description = "print the plan as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    PlanSettings plan = PlanSettings.from(s);
    Path root = Commands.directory(path, ".");
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "plan", 2)) {
      long repoId = Commands.requireRepo(db.database(), root);
      List<PlannedBatch> batches = Commands.enqueueService(db.database(), plan).plan(repoId);
      WorkerTable.Live live =
          db.database()
              .withConnection(c -> WorkerTable.live(c, DashboardSettings.workerDeadSeconds(s)));
      // Without a live worker, the truth is told against the worker `up` would start.
      int limit =
          live.count() > 0
              ? live.largestMaxTokens()
              : LlmSettings.from(s, ctx.home()).contextWindow();
      List<Oversize> oversize = OversizeJobs.of(batches, limit);
      List<Oversize> cut = OversizeJobs.cut(batches, limit);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batches", Reports.planJson(batches));
        Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("live_workers", live.count());
        fleet.put("largest_max_tokens", limit);
        fleet.put("limit_from", live.count() > 0 ? "live_workers" : "default_worker");
        m.put("fleet", fleet);
        m.put("oversize", Reports.oversizeJson(oversize));
        m.put("cut", Reports.oversizeJson(cut));
        ctx.out().json(m);
      } else {
        Reports.plan(ctx.out(), batches);
        Reports.oversize(ctx.out(), oversize, live.count(), limit);
        Reports.cut(ctx.out(), cut);
      }
    }
    return 0;
  }
}
