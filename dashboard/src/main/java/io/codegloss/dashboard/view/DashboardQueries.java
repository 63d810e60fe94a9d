package io.codegloss.dashboard.view;

import io.codegloss.core.db.Database;
import io.codegloss.dashboard.DashboardSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Every read the dashboard makes. Each public method runs in its own read-only, repeatable-read
 * transaction: the database itself refuses any write, so the dashboard can never change a job, and
 * the numbers of one answer are taken from one consistent view. Ages are computed with the
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
  private final DashboardSettings settings;

  public DashboardQueries(Database db, DashboardSettings settings) {
    this.db = db;
    this.settings = settings;
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
    try (PreparedStatement ps = c.prepareStatement("select count(*) from span_failures");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      failedSpans = rs.getLong(1);
    }
    long spansLastHour;
    long tokensLastHour;
    long failedCallsLastHour;
    Instant now;
    try (PreparedStatement ps =
            c.prepareStatement(
                """
                select coalesce(sum(items_valid), 0),
                       coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0),
                       count(*) filter (where outcome <> 'ok'),
                       now()
                  from llm_calls
                 where created_at > now() - interval '1 hour'
                """);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      spansLastHour = rs.getLong(1);
      tokensLastHour = rs.getLong(2);
      failedCallsLastHour = rs.getLong(3);
      now = rs.getTimestamp(4).toInstant();
    }
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
        failedSpans);
  }

  // --- queue -----------------------------------------------------------------------------------

  private @Nullable Integer maxLiveWorkerTokens(Connection c) throws SQLException {
    // Only running workers take new jobs: a draining one finishes what it holds and stops.
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            select max(max_tokens) from workers
             where state = 'running' and last_heartbeat > now() - make_interval(secs => ?)
            """)) {
      ps.setInt(1, settings.workerDeadSeconds());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        int v = rs.getInt(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  private QueueView queue(Connection c) throws SQLException {
    Integer maxLive = maxLiveWorkerTokens(c);

    record Repo(long id, String name, String root, long spans, long enriched, long failed) {}
    Map<Long, Repo> repos = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                """
                -- span states come from the one definition, the span_state view
                with per_repo as (
                  select repo_id, count(*) as spans, count(*) filter (where enriched) as enriched,
                         count(*) filter (where failed) as failed
                    from span_state group by repo_id)
                select r.id, r.name, r.root_path, coalesce(p.spans, 0), coalesce(p.enriched, 0),
                       coalesce(p.failed, 0)
                  from repositories r
                  left join per_repo p on p.repo_id = r.id
                 order by r.name, r.id
                """);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        repos.put(
            rs.getLong(1),
            new Repo(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6)));
      }
    }

    Map<Long, StateCounts> batch = new HashMap<>();
    Map<Long, StateCounts> single = new HashMap<>();
    Map<Long, Long> pendingTokens = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                """
                select repo_id, kind, status, count(*), coalesce(sum(tokens), 0)
                  from jobs group by repo_id, kind, status
                """);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long repo = rs.getLong(1);
        Map<Long, StateCounts> byKind = "batch".equals(rs.getString(2)) ? batch : single;
        String status = rs.getString(3);
        byKind.merge(repo, StateCounts.EMPTY.with(status, rs.getLong(4)), StateCounts::plus);
        if (status.equals("enqueued") || status.equals("processing")) {
          pendingTokens.merge(repo, rs.getLong(5), Long::sum);
        }
      }
    }
    if (maxLive != null) {
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              select repo_id, kind, count(*) from jobs
               where status = 'enqueued' and tokens > ?
               group by repo_id, kind
              """)) {
        ps.setInt(1, maxLive);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<Long, StateCounts> byKind = "batch".equals(rs.getString(2)) ? batch : single;
            byKind.merge(
                rs.getLong(1), StateCounts.EMPTY.withTooLarge(rs.getLong(3)), StateCounts::plus);
          }
        }
      }
    }

    List<RepoQueue> rows = new ArrayList<>();
    StateCounts batchTotal = StateCounts.EMPTY;
    StateCounts singleTotal = StateCounts.EMPTY;
    for (Repo r : repos.values()) {
      StateCounts b = batch.getOrDefault(r.id(), StateCounts.EMPTY);
      StateCounts s = single.getOrDefault(r.id(), StateCounts.EMPTY);
      batchTotal = batchTotal.plus(b);
      singleTotal = singleTotal.plus(s);
      rows.add(
          new RepoQueue(
              r.id(),
              r.name(),
              r.root(),
              r.spans(),
              r.enriched(),
              ratio(r.enriched(), r.spans()),
              r.failed(),
              b,
              s,
              b.plus(s),
              pendingTokens.getOrDefault(r.id(), 0L)));
    }
    return new QueueView(maxLive, batchTotal, singleTotal, batchTotal.plus(singleTotal), rows);
  }

  // --- throughput ------------------------------------------------------------------------------

  private Throughput throughput(Connection c, int minutes) throws SQLException {
    int window = Math.max(1, Math.min(MAX_MINUTES, minutes));
    Instant last;
    try (PreparedStatement ps = c.prepareStatement("select date_trunc('minute', now())");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      last = rs.getTimestamp(1).toInstant();
    }
    Instant first = last.minusSeconds(60L * (window - 1));

    long[][] overall = new long[window][3];
    record Key(String worker, String model) {}
    Map<Key, long[][]> perSeries = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            select worker, model, date_trunc('minute', created_at) as minute, count(*),
                   coalesce(sum(items_valid), 0),
                   coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0)
              from llm_calls
             where created_at >= ? and created_at < ?
             group by worker, model, minute
             order by worker, model, minute
            """)) {
      ps.setObject(1, OffsetDateTime.ofInstant(first, ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(last.plusSeconds(60), ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int i =
              (int)
                  ((rs.getTimestamp(3).toInstant().getEpochSecond() - first.getEpochSecond()) / 60);
          if (i < 0 || i >= window) {
            continue;
          }
          long[][] s =
              perSeries.computeIfAbsent(
                  new Key(rs.getString(1), rs.getString(2)), k -> new long[window][3]);
          for (int f = 0; f < 3; f++) {
            long v = rs.getLong(4 + f);
            s[i][f] += v;
            overall[i][f] += v;
          }
        }
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
    Map<String, List<UUID>> processing = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                """
                select worker, id from jobs
                 where status = 'processing' and worker is not null
                 order by updated_at
                """);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<UUID> ids = processing.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
        if (ids.size() < 10) {
          ids.add(rs.getObject(2, UUID.class));
        }
      }
    }
    List<WorkerView> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            select name, host, max_tokens, concurrency, backend, model, version, state,
                   current_jobs, started_at, last_heartbeat,
                   greatest(0, floor(extract(epoch from (now() - last_heartbeat))))::bigint
              from workers
             where last_heartbeat > now() - make_interval(secs => ?)
             order by name
            """)) {
      ps.setInt(1, FORGET_WORKER_SECONDS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String state = rs.getString(8);
          long silent = rs.getLong(12);
          boolean fresh = silent < settings.workerDeadSeconds();
          boolean alive = fresh && !state.equals("stopped");
          String status;
          if (state.equals("stopped")) {
            status = "stopped";
          } else if (!fresh) {
            status = "dead";
          } else if (state.equals("draining")) {
            status = "draining";
          } else {
            status = "alive";
          }
          String name = rs.getString(1);
          out.add(
              new WorkerView(
                  name,
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  state,
                  rs.getInt(9),
                  processing.getOrDefault(name, List.of()),
                  rs.getTimestamp(10).toInstant(),
                  rs.getTimestamp(11).toInstant(),
                  silent,
                  alive,
                  status));
        }
      }
    }
    return new WorkersView(settings.workerDeadSeconds(), FORGET_WORKER_SECONDS, out);
  }

  // --- savings ---------------------------------------------------------------------------------

  private Savings savings(Connection c) throws SQLException {
    Map<String, ModeCost> byMode = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                """
                select mode, count(*), count(*) filter (where outcome <> 'ok'),
                       coalesce(sum(span_count), 0), coalesce(sum(items_valid), 0),
                       coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0),
                       coalesce(sum(wall_ms), 0)
                  from llm_calls group by mode
                """);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String mode = rs.getString(1);
        long calls = rs.getLong(2);
        long enriched = rs.getLong(5);
        long prompt = rs.getLong(6);
        long completion = rs.getLong(7);
        long wall = rs.getLong(8);
        byMode.put(
            mode,
            new ModeCost(
                mode,
                calls,
                rs.getLong(3),
                rs.getLong(4),
                enriched,
                prompt,
                completion,
                wall,
                perSpan(calls, enriched),
                perSpan(prompt + completion, enriched),
                perSpan(wall / 1000.0, enriched)));
      }
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
        callsSaved);
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
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            select id, created_at, job_id, worker, backend, model, mode, span_count, items_valid,
                   outcome, error
              from llm_calls where outcome <> 'ok'
             order by created_at desc, id desc limit ?
            """)) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID job = rs.getObject(3, UUID.class);
          calls.add(
              new FailedCall(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  job,
                  job == null ? null : settings.jobUrl(job),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getInt(8),
                  rs.getInt(9),
                  rs.getString(10),
                  rs.getString(11)));
        }
      }
    }
    List<FailedSpan> spans = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            select f.span_id, r.name, fl.path, s.symbol, s.start_line, s.end_line, f.attempts,
                   f.last_error, f.permanent, f.next_attempt_at, f.updated_at,
                   (select js.job_id from job_spans js join jobs j on j.id = js.job_id
                     where js.span_id = f.span_id
                     order by j.updated_at desc limit 1)
              from span_failures f
              join spans s on s.id = f.span_id
              join files fl on fl.id = s.file_id
              join repositories r on r.id = s.repo_id
             order by f.updated_at desc, f.span_id limit ?
            """)) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID job = rs.getObject(12, UUID.class);
          spans.add(
              new FailedSpan(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getInt(6),
                  rs.getInt(7),
                  rs.getString(8),
                  rs.getBoolean(9),
                  rs.getTimestamp(10).toInstant(),
                  rs.getTimestamp(11).toInstant(),
                  job,
                  job == null ? null : settings.jobUrl(job)));
        }
      }
    }
    List<FailedJob> jobs = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            select j.id, r.name, j.kind, j.tokens, j.attempts, j.last_error, j.worker, j.updated_at
              from jobs j join repositories r on r.id = j.repo_id
             where j.status = 'failed'
             order by j.updated_at desc, j.id limit ?
            """)) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          UUID job = rs.getObject(1, UUID.class);
          jobs.add(
              new FailedJob(
                  job,
                  settings.jobUrl(job),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getInt(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getTimestamp(8).toInstant()));
        }
      }
    }
    return new Failures(calls, spans, jobs);
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }
}
