package io.codegloss.cli;

import io.codegloss.core.report.Oversize;
import io.codegloss.core.report.QueueHealth;
import io.codegloss.core.report.StatsQuery;
import io.codegloss.core.store.JobKind;
import io.codegloss.scheduler.index.IndexReport;
import io.codegloss.scheduler.index.RepoStatus;
import io.codegloss.scheduler.index.SpanInfo;
import io.codegloss.scheduler.index.walk.SkippedFile;
import io.codegloss.scheduler.plan.PlanJson;
import io.codegloss.scheduler.plan.PlannedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text output for people; --json output goes through the same records. */
final class Reports {

  private Reports() {}

  static void index(Printer out, Path root, IndexReport r) {
    out.linef(
        "%s: %d files scanned, %d changed, %d removed, %d skipped; %d spans (%d added, %d changed,"
            + " %d moved, %d removed) in %.2f s",
        root,
        r.filesScanned(),
        r.filesChanged(),
        r.filesRemoved(),
        r.filesSkipped().size(),
        r.spansTotal(),
        r.spansAdded(),
        r.spansChanged(),
        r.spansMoved(),
        r.spansRemoved(),
        r.seconds());
    if (r.filesWithParseErrors() > 0) {
      out.linef(
          "  %d files had syntax errors; what the parser recovered was indexed",
          r.filesWithParseErrors());
    }
    int shown = 0;
    for (SkippedFile s : r.filesSkipped()) {
      if (shown++ == 20) {
        out.linef("  ... and %d more skipped (see --json)", r.filesSkipped().size() - 20);
        break;
      }
      out.line(
          "  skipped "
              + s.path()
              + ": "
              + s.reason()
              + (s.detail() == null ? "" : " (" + s.detail() + ")"));
    }
  }

  static void status(Printer out, List<RepoStatus> repos, QueueHealth.Snapshot queue) {
    if (repos.isEmpty()) {
      out.line("no repository indexed yet (run 'codegloss index PATH')");
    }
    for (RepoStatus r : repos) {
      out.linef(
          "%s  (generation %d, indexed %s)",
          r.root(), r.generation(), r.lastIndexedAt() == null ? "never" : r.lastIndexedAt());
      out.linef(
          "  %d files (%d skipped), %d spans: %d enriched, %d facts only, %d prose failed,"
              + " %d not indexed",
          r.files(),
          r.skippedFiles(),
          r.spans(),
          r.enriched(),
          r.factsOnly(),
          r.proseFailed(),
          r.notIndexed());
      for (RepoStatus.LanguageKindCount c : r.byLanguageAndKind()) {
        out.linef(
            "    %-12s %-9s %6d spans  %6d enriched  %6d facts only  %6d prose failed",
            c.language(), c.kind(), c.spans(), c.enriched(), c.factsOnly(), c.proseFailed());
      }
    }
    out.linef(
        "queue: %d live workers (largest limit %d tokens)",
        queue.liveWorkers(), queue.largestLiveLimit());
    for (Map.Entry<String, Long> e : queue.byStatus().entrySet()) {
      out.linef("  %-20s %d", e.getKey(), e.getValue());
    }
    if (queue.tooLargeForLiveWorkers() > 0) {
      out.linef(
          "  WARNING: %d enqueued jobs are larger than every live worker's --max-tokens; start a"
              + " larger worker or lower RAG_BATCH_MAX_TOKENS",
          queue.tooLargeForLiveWorkers());
    }
  }

  static void spans(Printer out, List<SpanInfo> spans) {
    for (SpanInfo s : spans) {
      out.linef(
          "%s:%d-%d  %-8s %s  %s  %s",
          s.file(),
          s.startLine(),
          s.endLine(),
          s.kind(),
          s.symbol(),
          s.state(),
          s.hash().substring(0, Math.min(12, s.hash().length())));
    }
  }

  static Object planJson(List<PlannedBatch> batches) {
    return PlanJson.toJson(batches).get("batches");
  }

  static List<Map<String, Object>> oversizeJson(List<Oversize> oversize) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Oversize o : oversize) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", o.kind().db());
      m.put("path", o.path());
      m.put("start_line", o.startLine());
      m.put("end_line", o.endLine());
      m.put("symbols", o.symbols());
      m.put("job_tokens", o.jobTokens());
      m.put("span_tokens", o.spanTokens());
      m.put("min_max_tokens", o.minMaxTokens());
      m.put("whole_max_tokens", o.wholeMaxTokens());
      m.put("cut_to_tokens", o.cutToTokens());
      m.put("cut_to_lines", o.cutToLines());
      out.add(m);
    }
    return out;
  }

  /** The planned jobs no live worker would fetch, and what it would take. */
  static void oversize(Printer out, List<Oversize> oversize, int liveWorkers, int limit) {
    String fleet =
        liveWorkers > 0
            ? String.format(
                Locale.ROOT,
                "the largest limit of %d live worker%s is %d tokens",
                liveWorkers,
                liveWorkers == 1 ? "" : "s",
                limit)
            : String.format(
                Locale.ROOT, "no live worker; a default worker's limit is %d tokens", limit);
    if (oversize.isEmpty()) {
      out.linef("every job fits the fleet (%s)", fleet);
      return;
    }
    out.linef(
        "%d job%s larger than every live worker's limit (%s); none runs until a worker with"
            + " --max-tokens of at least the job's size joins:",
        oversize.size(), oversize.size() == 1 ? " is" : "s are", fleet);
    for (Oversize o : oversize) {
      String how =
          o.kind() == JobKind.BATCH
              ? "a batch: a worker that cannot take it whole splits it into single-span jobs"
              : o.runsCut()
                  ? String.format(
                      Locale.ROOT,
                      "there it runs with its code cut to %d of %d tokens (about %d of %d lines);"
                          + " --max-tokens %d takes it whole",
                      o.cutToTokens(),
                      o.spanTokens(),
                      o.cutToLines(),
                      o.endLine() - o.startLine() + 1,
                      o.wholeMaxTokens())
                  : "it runs whole there";
      out.linef(
          "  %s:%d-%d %s %s: job %d tokens, needs --max-tokens %d; %s",
          o.path(),
          o.startLine(),
          o.endLine(),
          o.kind().db(),
          symbols(o),
          o.jobTokens(),
          o.minMaxTokens(),
          how);
    }
  }

  /** The single spans larger than a default worker: they run, with their code cut to fit. */
  static void cut(Printer out, List<Oversize> cut) {
    if (cut.isEmpty()) {
      return;
    }
    out.linef(
        "%d span%s larger than a default worker; %s with %s code cut to fit (the note records"
            + " the cut):",
        cut.size(),
        cut.size() == 1 ? " is" : "s are",
        cut.size() == 1 ? "it runs" : "they run",
        cut.size() == 1 ? "its" : "their");
    for (Oversize o : cut) {
      out.linef(
          "  %s:%d-%d single %s: runs with its code cut to %d of %d tokens (about %d of %d lines)"
              + " on a worker of %d tokens; --max-tokens %d takes it whole",
          o.path(),
          o.startLine(),
          o.endLine(),
          symbols(o),
          o.cutToTokens(),
          o.spanTokens(),
          o.cutToLines(),
          o.endLine() - o.startLine() + 1,
          o.minMaxTokens(),
          o.wholeMaxTokens());
    }
  }

  private static String symbols(Oversize o) {
    return o.symbols().size() <= 3
        ? String.join(", ", o.symbols())
        : String.join(", ", o.symbols().subList(0, 3))
            + " and "
            + (o.symbols().size() - 3)
            + " more";
  }

  static void plan(Printer out, List<PlannedBatch> batches) {
    if (batches.isEmpty()) {
      out.line(
          "nothing pending: every span has a current enrichment, is queued, or is backing off");
      return;
    }
    int spans = 0;
    int singles = 0;
    for (PlannedBatch b : batches) {
      spans += b.spans().size();
      singles += b.isSingle() ? 1 : 0;
      out.linef(
          "%s  %s of %d span%s, %d span tokens, job %d tokens, ended by %s",
          b.path(),
          b.isSingle() ? "single" : "batch",
          b.spans().size(),
          b.spans().size() == 1 ? "" : "s",
          b.spanTokens(),
          b.jobTokens(),
          b.reason().jsonName());
      for (var s : b.spans()) {
        out.linef(
            "    %4d-%-4d %-8s %s", s.startLine(), s.endLine(), s.kind().dbName(), s.symbol());
      }
    }
    out.linef(
        "%d pending spans -> %d jobs (%d batches, %d single-span)",
        spans, batches.size(), batches.size() - singles, singles);
  }

  static void stats(Printer out, List<StatsQuery.Row> rows) {
    if (rows.isEmpty()) {
      out.line("no LLM calls recorded yet");
      return;
    }
    out.linef(
        "%-6s %-28s %-18s %5s %6s %7s %9s %9s %8s %9s %8s %8s %7s",
        "mode",
        "model",
        "worker",
        "jobs",
        "calls",
        "spans/c",
        "prompt/s",
        "compl/s",
        "sec/span",
        "1st-try",
        "salvaged",
        "to-single",
        "secrets");
    for (StatsQuery.Row r : rows) {
      out.linef(
          "%-6s %-28s %-18s %5d %6d %7.2f %9.0f %9.0f %8.2f %8.0f%% %8d %8d %7d",
          r.mode(),
          clip(r.model(), 28),
          clip(r.worker(), 18),
          r.jobs(),
          r.calls(),
          r.spansPerCall(),
          r.promptTokensPerSpan(),
          r.completionTokensPerSpan(),
          r.secondsPerSpan(),
          r.firstTryValidRate() * 100,
          r.spansSalvaged(),
          r.reenqueuedAsSingle(),
          r.secretsRedacted());
    }
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
