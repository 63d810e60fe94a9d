package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.scheduler.index.IndexSettings;
import io.codegloss.scheduler.index.Indexer;
import io.codegloss.scheduler.plan.PlanSettings;
import io.codegloss.scheduler.queue.EnqueueService;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "enqueue",
    description =
        "Index PATH, plan its pending spans and enqueue them as JobRunr jobs (deterministic ids:"
            + " enqueueing twice never doubles work).")
final class EnqueueCommand extends CliCommand {

  @Parameters(arity = "0..1", paramLabel = "PATH", description = "the repository (default: .)")
  @Nullable String path;

  @Option(
      names = "--full",
      description =
          "re-enrich the whole repository (bumps its generation: every span is pending again,"
              + " failed ones included)")
  boolean full;

  @Option(
      names = "--retry-failed",
      description =
          "offer every failed span of the repository again now (permanent failures too), e.g."
              + " after switching to a better model")
  boolean retryFailed;

  @Mixin BatchOptions batch;

  @Option(names = "--json", description = "print what was enqueued as JSON")
  boolean json;

  @Override
  int run(Context ctx) {
    Settings s = settings(ctx);
    PlanSettings plan = PlanSettings.from(s);
    IndexSettings index = IndexSettings.from(s);
    Path root = Commands.directory(path, ".");
    Printer out = ctx.out();
    try (OpenDatabase db = Commands.openDatabase(s, ctx.home(), "enqueue", 4)) {
      long repoId = new Indexer(db.database(), index).index(root).repoId();
      EnqueueService svc = Commands.enqueueService(db.database(), plan);
      int generation = full ? svc.bumpGeneration(repoId) : -1;
      // A whole re-enrichment is a fresh start: spans that failed before are tried again too.
      int retried = full || retryFailed ? svc.retryFailures(repoId) : 0;
      EnqueueService.Result r = svc.enqueue(repoId, progressEvery(out, 2_000));
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repository", root.toString());
        m.put("full", full);
        m.put("failed_spans_offered_again", retried);
        if (generation > 0) {
          m.put("generation", generation);
        }
        m.put("result", r);
        out.json(m);
      } else {
        if (retried > 0) {
          out.linef("%s: %d failed spans offered again", root, retried);
        }
        out.linef(
            "%s: %d pending spans -> %d batches + %d single-span jobs; %d new jobs enqueued, %d already queued",
            root, r.pendingSpans(), r.batches(), r.singles(), r.newJobs(), r.existingJobs());
      }
    }
    return 0;
  }

  /** A line on stderr after a chunk, at most one per {@code millis}: long runs show they move. */
  static JobEnqueuer.Progress progressEvery(Printer out, long millis) {
    long started = System.nanoTime();
    long[] last = {started};
    return (planned, fresh) -> {
      long now = System.nanoTime();
      if (now - last[0] >= millis * 1_000_000L) {
        last[0] = now;
        out.progress(
            String.format(
                Locale.ROOT,
                "enqueue: %,d jobs written (%,d new) in %.1f s",
                planned,
                fresh,
                (now - started) / 1e9));
      }
    };
  }
}
