package io.codegloss.dashboard.view;

import io.codegloss.core.db.Database;
import io.codegloss.core.note.ShowResult;
import io.codegloss.core.note.SpanNote;
import io.codegloss.core.note.SpanNotes;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.report.Oversize;
import io.codegloss.core.search.SearchHit;
import io.codegloss.core.search.SearchRequest;
import io.codegloss.core.search.SpanSearch;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobStatus;
import io.codegloss.core.store.JobTable;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.RepositoryTable;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanStates;
import io.codegloss.core.store.WorkerState;
import io.codegloss.core.store.WorkerTable;
import io.codegloss.core.thread.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Every read the dashboard makes. Each public method runs in its own read-only, repeatable-read
 * transaction: the database itself refuses any write, so the dashboard can never change a job, and
 * the numbers of one answer are taken from one consistent view — except the two reads that grow
 * with the whole history (every span's state, every LLM call's totals): on a database where they
 * take over 100 ms they are served from their last answer, refreshed in the background, and dated
 * ({@code spanCountsAsOf}, {@code asOf}; see {@link SlowRead}). Ages are computed with the
 * database's clock so that a skewed dashboard host does not declare workers dead.
 */
public final class DashboardQueries {

  /** Workers silent for longer than this are no longer listed at all. */
  public static final int FORGET_WORKER_SECONDS = 3600;

  public static final int DEFAULT_MINUTES = 60;
  public static final int MAX_MINUTES = 24 * 60;
  public static final int DEFAULT_FAILURE_LIMIT = 50;
  public static final int MAX_FAILURE_LIMIT = 500;

  private final Database db;
  private final int workerDeadSeconds;
  private final Function<UUID, String> jobUrl;

  /** Refreshes the slow reads in the background; one thread, so at most one refresh at a time. */
  private final ExecutorService refresher =
      Executors.newSingleThreadExecutor(DaemonThreads.named("dashboard-refresh"));

  /** Every span's state (the progress per repository): 1.3 s at 200,000 spans on a busy machine. */
  private final SlowRead<List<SpanStates.ByRepository>> spanCounts =
      new SlowRead<>("span states", SpanStates::byRepository, refresher, this::read);

  /** Totals of every LLM call ever made (savings): a scan of the whole table. */
  private final SlowRead<List<LlmCallTable.ModeTotals>> callTotals =
      new SlowRead<>("LLM call totals", LlmCallTable::totalsByMode, refresher, this::read);

  /**
   * @param workerDeadSeconds a worker silent this long is shown dead
   * @param jobUrl the JobRunr dashboard's page of a job
   */
  public DashboardQueries(Database db, int workerDeadSeconds, Function<UUID, String> jobUrl) {
    this.db = db;
    this.workerDeadSeconds = workerDeadSeconds;
    this.jobUrl = jobUrl;
  }

  /** The span browser's search: ranked hits (the search's own read-only snapshot). */
  public List<SearchHit> search(SearchRequest request) {
    return new SpanSearch(db).search(request);
  }

  /** The span page: one span's note with its sources, calls both ways and code; empty if none. */
  public Optional<SpanView> span(long spanId) {
    return read(
        c -> {
          Optional<ShowResult.ShownSpan> shown = SpanNotes.byId(c, spanId);
          if (shown.isEmpty()) {
            return Optional.<SpanView>empty();
          }
          String root = RepositoryTable.rootPath(c, shown.get().span().repoId());
          return Optional.of(new SpanView(root == null ? "" : root, SpanNote.of(shown.get())));
        });
  }

  public Snapshot snapshot() {
    return read(
        c -> {
          QueueView queue = queue(c);
          WorkersView workers = workers(c);
          Throughput throughput = throughput(c, DEFAULT_MINUTES);
          Failures failures = failures(c, DEFAULT_FAILURE_LIMIT);
          return new Snapshot(
              summary(c, queue, workers), queue, throughput, workers, savings(c), failures);
        });
  }

  /** The priority line-up of the enqueued jobs and the jobs too large for every live worker. */
  public LineUp lineUp() {
    return read(
        c -> {
          Integer limit = maxLiveWorkerTokens(c);
          List<LineUp.Job> oversize = new ArrayList<>();
          long total = 0;
          if (limit != null) {
            for (JobTable.LargeJob j :
                JobTable.enqueuedLargerThan(c, limit, LineUp.OVERSIZE_LIMIT)) {
              oversize.add(lineUpJob(j, limit));
            }
            total = JobTable.countEnqueuedLargerThan(c, limit);
          }
          // without a live worker every job waits; the cut ones are still worth naming
          int fetched = limit == null ? Integer.MAX_VALUE : limit;
          int overhead = JobSizing.jobTokens(0, 1);
          List<LineUp.Job> cut = new ArrayList<>();
          for (JobTable.LargeJob j :
              JobTable.enqueuedCut(c, overhead, fetched, LineUp.OVERSIZE_LIMIT)) {
            cut.add(lineUpJob(j, fetched));
          }
          return new LineUp(
              LineUp.Priority.of(JobTable.enqueuedByPriority(c)),
              limit,
              oversize,
              total,
              cut,
              JobTable.countEnqueuedCut(c, overhead, fetched));
        });
  }

  private static LineUp.Job lineUpJob(JobTable.LargeJob j, int limit) {
    return LineUp.Job.of(
        new Oversize(
            j.kind(),
            j.path(),
            j.startLine(),
            j.endLine(),
            j.symbols(),
            j.tokens(),
            j.spanTokens(),
            limit));
  }

  public Summary summary() {
    return read(c -> summary(c, queue(c), workers(c)));
  }

  public QueueView queue() {
    return read(this::queue);
  }

  public Throughput throughput(int minutes) {
    return read(c -> throughput(c, minutes));
  }

  public WorkersView workers() {
    return read(this::workers);
  }

  public Savings savings() {
    return read(this::savings);
  }

  public Failures failures(int limit) {
    return read(c -> failures(c, limit));
  }

  private <T> T read(Database.TxWork<T> work) {
    return db.inTransaction(
        c -> {
          c.setReadOnly(true);
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          return work.apply(c);
        });
  }

  // --- summary ---------------------------------------------------------------------------------

  private Summary summary(Connection c, QueueView queue, WorkersView workers) throws SQLException {
    long spans = 0;
    long enriched = 0;
    long failedSpans = 0;
    for (RepoQueue r : queue.repositories()) {
      spans += r.spans();
      enriched += r.enrichedSpans();
    }
    failedSpans = SpanFailureTable.count(c);
    LlmCallTable.LastHour hour = LlmCallTable.lastHour(c);
    long spansLastHour = hour.spansValid();
    long tokensLastHour = hour.tokens();
    long failedCallsLastHour = hour.callsNotOk();
    Instant now = hour.now();
    long alive = workers.workers().stream().filter(WorkerView::alive).count();
    return new Summary(
        now,
        queue.repositories().size(),
        spans,
        enriched,
        ratio(enriched, spans),
        queue.all(),
        queue.maxLiveWorkerTokens(),
        alive,
        workers.workers().size() - alive,
        spansLastHour,
        tokensLastHour,
        failedCallsLastHour,
        failedSpans,
        LlmCallTable.redactions(c).secrets());
  }

  // --- queue -----------------------------------------------------------------------------------

  private @Nullable Integer maxLiveWorkerTokens(Connection c) throws SQLException {
    return WorkerTable.maxRunningTokens(c, workerDeadSeconds);
  }

  private QueueView queue(Connection c) throws SQLException {
    Integer maxLive = maxLiveWorkerTokens(c);

    Map<Long, StateCounts> batch = new HashMap<>();
    Map<Long, StateCounts> single = new HashMap<>();
    Map<Long, Long> pendingTokens = new HashMap<>();
    for (JobTable.RepoKindStatus j : JobTable.countByRepoKindAndStatus(c)) {
      Map<Long, StateCounts> byKind = j.kind() == JobKind.BATCH ? batch : single;
      byKind.merge(
          j.repoId(), StateCounts.EMPTY.with(j.status().db(), j.jobs()), StateCounts::plus);
      if (j.status() == JobStatus.ENQUEUED || j.status() == JobStatus.PROCESSING) {
        pendingTokens.merge(j.repoId(), j.tokens(), Long::sum);
      }
    }
    if (maxLive != null) {
      for (JobTable.TooLarge j : JobTable.enqueuedLargerThanByRepoAndKind(c, maxLive)) {
        Map<Long, StateCounts> byKind = j.kind() == JobKind.BATCH ? batch : single;
        byKind.merge(j.repoId(), StateCounts.EMPTY.withTooLarge(j.jobs()), StateCounts::plus);
      }
    }

    List<RepoQueue> rows = new ArrayList<>();
    StateCounts batchTotal = StateCounts.EMPTY;
    StateCounts singleTotal = StateCounts.EMPTY;
    SlowRead.Answer<List<SpanStates.ByRepository>> counts = spanCounts.get(c);
    for (SpanStates.ByRepository r : counts.value()) {
      StateCounts b = batch.getOrDefault(r.repoId(), StateCounts.EMPTY);
      StateCounts s = single.getOrDefault(r.repoId(), StateCounts.EMPTY);
      batchTotal = batchTotal.plus(b);
      singleTotal = singleTotal.plus(s);
      rows.add(
          new RepoQueue(
              r.repoId(),
              r.name(),
              r.rootPath(),
              r.spans(),
              r.enriched(),
              ratio(r.enriched(), r.spans()),
              r.failed(),
              r.factsOnly(),
              r.notIndexed(),
              b,
              s,
              b.plus(s),
              pendingTokens.getOrDefault(r.repoId(), 0L)));
    }
    return new QueueView(
        maxLive, batchTotal, singleTotal, batchTotal.plus(singleTotal), rows, counts.asOf());
  }

  // --- throughput ------------------------------------------------------------------------------

  private Throughput throughput(Connection c, int minutes) throws SQLException {
    int window = Math.max(1, Math.min(MAX_MINUTES, minutes));
    Instant last = LlmCallTable.currentMinute(c);
    Instant first = last.minusSeconds(60L * (window - 1));

    long[][] overall = new long[window][3];
    record Key(String worker, String model) {}
    Map<Key, long[][]> perSeries = new LinkedHashMap<>();
    for (LlmCallTable.Minute m : LlmCallTable.perMinute(c, first, last.plusSeconds(60))) {
      int i = (int) ((m.minute().getEpochSecond() - first.getEpochSecond()) / 60);
      if (i < 0 || i >= window) {
        continue;
      }
      long[][] s =
          perSeries.computeIfAbsent(new Key(m.worker(), m.model()), k -> new long[window][3]);
      long[] values = {m.calls(), m.spansValid(), m.tokens()};
      for (int f = 0; f < 3; f++) {
        s[i][f] += values[f];
        overall[i][f] += values[f];
      }
    }
    List<ThroughputSeries> series = new ArrayList<>();
    for (Map.Entry<Key, long[][]> e : perSeries.entrySet()) {
      long spans = 0;
      long tokens = 0;
      for (long[] p : e.getValue()) {
        spans += p[1];
        tokens += p[2];
      }
      series.add(
          new ThroughputSeries(
              e.getKey().worker(), e.getKey().model(), spans, tokens, points(first, e.getValue())));
    }
    return new Throughput(window, 60, first, last.plusSeconds(60), points(first, overall), series);
  }

  private static List<ThroughputPoint> points(Instant first, long[][] buckets) {
    List<ThroughputPoint> out = new ArrayList<>(buckets.length);
    for (int i = 0; i < buckets.length; i++) {
      long[] b = buckets[i];
      out.add(new ThroughputPoint(first.plusSeconds(60L * i), b[0], b[1], b[2], b[2] / 60.0));
    }
    return out;
  }

  // --- workers ---------------------------------------------------------------------------------

  private WorkersView workers(Connection c) throws SQLException {
    Map<String, List<UUID>> processing = JobTable.processingByWorker(c, 10);
    List<WorkerView> out = new ArrayList<>();
    for (WorkerTable.Seen w : WorkerTable.heardFromWithin(c, FORGET_WORKER_SECONDS)) {
      boolean fresh = w.silentSeconds() < workerDeadSeconds;
      boolean stopped = w.state() == WorkerState.STOPPED;
      boolean alive = fresh && !stopped;
      String status;
      if (stopped) {
        status = "stopped";
      } else if (!fresh) {
        status = "dead";
      } else if (w.state() == WorkerState.DRAINING) {
        status = "draining";
      } else {
        status = "alive";
      }
      out.add(
          new WorkerView(
              w.name(),
              w.host(),
              w.maxTokens(),
              w.concurrency(),
              w.backend(),
              w.model(),
              w.version(),
              w.state().db(),
              w.currentJobs(),
              w.currentCalls(),
              w.callsBusyPercent(),
              processing.getOrDefault(w.name(), List.of()),
              w.startedAt(),
              w.lastHeartbeat(),
              w.silentSeconds(),
              alive,
              status));
    }
    return new WorkersView(workerDeadSeconds, FORGET_WORKER_SECONDS, out);
  }

  // --- savings ---------------------------------------------------------------------------------

  private Savings savings(Connection c) throws SQLException {
    Map<String, ModeCost> byMode = new HashMap<>();
    SlowRead.Answer<List<LlmCallTable.ModeTotals>> totals = callTotals.get(c);
    for (LlmCallTable.ModeTotals m : totals.value()) {
      long enriched = m.spansValid();
      long prompt = m.promptTokens();
      long completion = m.completionTokens();
      long wall = m.wallMs();
      byMode.put(
          m.mode(),
          new ModeCost(
              m.mode(),
              m.calls(),
              m.callsNotOk(),
              m.spansAsked(),
              enriched,
              prompt,
              completion,
              wall,
              perSpan(m.calls(), enriched),
              perSpan(prompt + completion, enriched),
              perSpan(wall / 1000.0, enriched)));
    }
    ModeCost batch = byMode.getOrDefault("batch", emptyCost("batch"));
    ModeCost single = byMode.getOrDefault("single", emptyCost("single"));
    Long callsSaved = null;
    if (single.callsPerSpan() != null && batch.callsPerSpan() != null) {
      // What the spans enriched in batches would have cost at the single-mode rate.
      callsSaved = Math.round(batch.spansEnriched() * single.callsPerSpan()) - batch.calls();
    }
    return new Savings(
        batch,
        single,
        divide(batch.callsPerSpan(), single.callsPerSpan()),
        divide(batch.tokensPerSpan(), single.tokensPerSpan()),
        divide(batch.secondsPerSpan(), single.secondsPerSpan()),
        callsSaved,
        totals.asOf());
  }

  private static ModeCost emptyCost(String mode) {
    return new ModeCost(mode, 0, 0, 0, 0, 0, 0, 0, null, null, null);
  }

  private static @Nullable Double perSpan(double amount, long spans) {
    return spans == 0 ? null : amount / spans;
  }

  private static @Nullable Double divide(@Nullable Double a, @Nullable Double b) {
    return a == null || b == null || b == 0 ? null : a / b;
  }

  // --- failures --------------------------------------------------------------------------------

  private Failures failures(Connection c, int limit) throws SQLException {
    int n = Math.max(1, Math.min(MAX_FAILURE_LIMIT, limit));
    List<FailedCall> calls = new ArrayList<>();
    for (LlmCallTable.NotOk f : LlmCallTable.recentNotOk(c, n)) {
      UUID job = f.jobId();
      calls.add(
          new FailedCall(
              f.id(),
              f.createdAt(),
              job,
              job == null ? null : jobUrl.apply(job),
              f.worker(),
              f.backend(),
              f.model(),
              f.mode(),
              f.spanCount(),
              f.itemsValid(),
              f.outcome(),
              f.error()));
    }
    List<FailedSpan> spans = new ArrayList<>();
    for (SpanFailureTable.Recent f : SpanFailureTable.recent(c, n)) {
      UUID job = f.lastJobId();
      spans.add(
          new FailedSpan(
              f.spanId(),
              f.repoName(),
              f.path(),
              f.symbol(),
              f.startLine(),
              f.endLine(),
              f.attempts(),
              f.lastError(),
              f.permanent(),
              f.nextAttemptAt(),
              f.updatedAt(),
              job,
              job == null ? null : jobUrl.apply(job)));
    }
    List<FailedJob> jobs = new ArrayList<>();
    for (JobTable.Failed f : JobTable.recentlyFailed(c, n)) {
      jobs.add(
          new FailedJob(
              f.id(),
              jobUrl.apply(f.id()),
              f.repoName(),
              f.kind().db(),
              f.tokens(),
              f.attempts(),
              f.lastError(),
              f.worker(),
              f.updatedAt()));
    }
    return new Failures(calls, spans, jobs);
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }
}
