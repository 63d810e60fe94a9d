package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.plan.PlannedBatch;
import java.nio.file.Path;
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
            + " each batch ended; no model is called.")
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
      if (json) {
        ctx.out().json(Map.of("batches", Reports.planJson(batches)));
      } else {
        Reports.plan(ctx.out(), batches);
      }
    }
    return 0;
  }
}
