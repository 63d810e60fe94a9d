package io.codegloss.core.store;

import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Owner of {@code jobs} and {@code job_spans}: our row of every JobRunr job we enqueued (its id is
 * the JobRunr job id) and the spans it enriches. Every method works on the caller's connection, so
 * the caller owns the transaction. JobRunr's own table is read only by {@link
 * io.codegloss.core.queue.CapacityStorageProvider}.
 */
public final class JobTable {

  private JobTable() {}

  /**
   * Inserts the job's row and its spans; a job whose row already exists is left alone.
   *
   * @return true when the row is new
   */
  public static boolean insert(Connection c, JobPlan plan) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into jobs (id, repo_id, file_id, kind, tokens, span_tokens, reason, parent_id,"
                + " priority) values (?, ?, ?, ?, ?, ?, ?, ?, case when exists (select 1 from jobs p"
                + " where p.id = ? and p.priority = 'interactive') then 'interactive' else ? end)"
                + " on conflict (id) do nothing")) {
      ps.setObject(1, plan.id());
      ps.setLong(2, plan.repoId());
      ps.setObject(3, plan.fileId());
      ps.setString(4, plan.kind().db());
      ps.setInt(5, plan.tokens());
      ps.setInt(6, plan.spanTokens());
      ps.setString(7, plan.reason());
      ps.setObject(8, plan.parentId());
      ps.setObject(9, plan.parentId());
      ps.setString(10, plan.priority().db());
      if (ps.executeUpdate() == 0) {
        return false;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into job_spans (job_id, span_id, span_hash, ordinal) values (?, ?, ?, ?)")) {
      int ordinal = 1;
      for (JobPlan.SpanRef span : plan.spans()) {
        ps.setObject(1, plan.id());
        ps.setLong(2, span.spanId());
        ps.setString(3, span.spanHash());
        ps.setInt(4, ordinal++);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return true;
  }

  /**
   * Inserts the rows of many jobs and their spans in two statements; jobs whose row already exists
   * are left alone. A single-span job split off a batch takes the batch's priority when that is
   * interactive, so an edited span stays ahead of bulk work after its batch failed.
   *
   * @return the ids whose rows are new, in the order of {@code plans}
   */
  public static List<UUID> insertAll(Connection c, List<JobPlan> plans) throws SQLException {
    if (plans.isEmpty()) {
      return List.of();
    }
    int n = plans.size();
    UUID[] ids = new UUID[n];
    Long[] repos = new Long[n];
    Long[] files = new Long[n];
    String[] kinds = new String[n];
    Integer[] tokens = new Integer[n];
    Integer[] spanTokens = new Integer[n];
    String[] reasons = new String[n];
    UUID[] parents = new UUID[n];
    String[] priorities = new String[n];
    for (int i = 0; i < n; i++) {
      JobPlan p = plans.get(i);
      ids[i] = p.id();
      repos[i] = p.repoId();
      files[i] = p.fileId();
      kinds[i] = p.kind().db();
      tokens[i] = p.tokens();
      spanTokens[i] = p.spanTokens();
      reasons[i] = p.reason();
      parents[i] = p.parentId();
      priorities[i] = p.priority().db();
    }
    Set<UUID> fresh = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into jobs (id, repo_id, file_id, kind, tokens, span_tokens, reason, parent_id,"
                + " priority)"
                + " select u.id, u.repo_id, u.file_id, u.kind, u.tokens, u.span_tokens, u.reason,"
                + " u.parent_id, case when exists (select 1 from jobs p where p.id = u.parent_id"
                + "   and p.priority = 'interactive') then 'interactive' else u.priority end"
                + " from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::text[], ?::int[],"
                + "   ?::int[], ?::text[], ?::uuid[], ?::text[])"
                + "   as u (id, repo_id, file_id, kind, tokens, span_tokens, reason, parent_id,"
                + "   priority)"
                + " on conflict (id) do nothing returning id")) {
      ps.setArray(1, c.createArrayOf("uuid", ids));
      ps.setArray(2, c.createArrayOf("bigint", repos));
      ps.setArray(3, c.createArrayOf("bigint", files));
      ps.setArray(4, c.createArrayOf("text", kinds));
      ps.setArray(5, c.createArrayOf("integer", tokens));
      ps.setArray(6, c.createArrayOf("integer", spanTokens));
      ps.setArray(7, c.createArrayOf("text", reasons));
      ps.setArray(8, c.createArrayOf("uuid", parents));
      ps.setArray(9, c.createArrayOf("text", priorities));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fresh.add(rs.getObject(1, UUID.class));
        }
      }
    }
    List<UUID> freshInOrder = new ArrayList<>(fresh.size());
    List<UUID> spanJobs = new ArrayList<>();
    List<Long> spanIds = new ArrayList<>();
    List<String> spanHashes = new ArrayList<>();
    List<Integer> ordinals = new ArrayList<>();
    for (JobPlan p : plans) {
      if (!fresh.remove(p.id())) {
        continue;
      }
      freshInOrder.add(p.id());
      int ordinal = 1;
      for (JobPlan.SpanRef span : p.spans()) {
        spanJobs.add(p.id());
        spanIds.add(span.spanId());
        spanHashes.add(span.spanHash());
        ordinals.add(ordinal++);
      }
    }
    if (!spanJobs.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into job_spans (job_id, span_id, span_hash, ordinal)"
                  + " select * from unnest(?::uuid[], ?::bigint[], ?::text[], ?::int[])")) {
        ps.setArray(1, c.createArrayOf("uuid", spanJobs.toArray()));
        ps.setArray(2, c.createArrayOf("bigint", spanIds.toArray()));
        ps.setArray(3, c.createArrayOf("text", spanHashes.toArray()));
        ps.setArray(4, c.createArrayOf("integer", ordinals.toArray()));
        ps.executeUpdate();
      }
    }
    return freshInOrder;
  }

  /**
   * Refreshes the planner statistics of {@code jobs} and {@code job_spans}. After thousands of rows
   * arrive at once (a whole-repository enqueue) autovacuum analyzes them only some time later;
   * meanwhile the next plan's read of {@code span_state} is planned for empty tables and takes
   * minutes instead of a second (measured: 3 min against 3 s on the Python stdlib).
   */
  public static void analyze(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("analyze jobs, job_spans")) {
      ps.execute();
    }
  }

  /** Our row of a job plus the repository generation it is planned for. */
  public record Row(
      UUID id,
      long repoId,
      @Nullable Long fileId,
      JobKind kind,
      int tokens,
      JobStatus status,
      int attempts,
      int generation) {}

  /** The job's row, locked for the rest of the caller's transaction. */
  public static Optional<Row> lock(Connection c, UUID id) throws SQLException {
    return lock(c, id, "");
  }

  /**
   * As {@link #lock}, for a worker's run of the job, with two settings for the rest of the
   * transaction, set in the lock's own statement (a {@code SET} of its own was one more round trip
   * per transaction, two per job):
   *
   * <ul>
   *   <li>its commit does not wait for the disk ({@code synchronous_commit} off, as {@link
   *       io.codegloss.core.db.Database#inRedoableTransaction} sets it, whose contract the caller
   *       keeps);
   *   <li>its prepared statements, and those of the search triggers its commit fires, run on their
   *       generic plan ({@code plan_cache_mode}). Every statement of a run looks rows up by key
   *       (job, span, file), so its plan does not depend on the values, yet PostgreSQL kept
   *       planning some of them again on every call: at 8 calls at once, pg_stat_statements counted
   *       as many plans as calls for the claim's span read (0.67 ms to plan, 0.11 ms to run) and
   *       the prose refresh at commit (0.40 ms to plan). Their generic plans are the same index
   *       scans; with them the database's active time per job fell from 4.55 to 3.43 ms (README
   *       Performance).
   * </ul>
   */
  public static Optional<Row> lockForRun(Connection c, UUID id) throws SQLException {
    return lock(
        c,
        id,
        ", set_config('synchronous_commit', 'off', true),"
            + " set_config('plan_cache_mode', 'force_generic_plan', true)");
  }

  private static Optional<Row> lock(Connection c, UUID id, String alsoSelect) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select j.id, j.repo_id, j.file_id, j.kind, j.tokens, j.status, j.attempts,"
                + " r.generation"
                + alsoSelect
                + " from jobs j join repositories r on r.id = j.repo_id"
                + " where j.id = ? for update of j")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Row(
                rs.getObject(1, UUID.class),
                rs.getLong(2),
                (Long) rs.getObject(3),
                JobKind.fromDb(rs.getString(4)),
                rs.getInt(5),
                JobStatus.fromDb(rs.getString(6)),
                rs.getInt(7),
                rs.getInt(8)));
      }
    }
  }

  /** A span of a job and the hash it had when planned. */
  public record JobSpan(Span span, String plannedHash, int ordinal) {
    public boolean stale() {
      return !span.contentHash().equals(plannedHash);
    }
  }

  /**
   * A span of a job as a worker claims it: its code, whether it still needs a note (planned hash
   * current, no current note in {@code span_state}), and what its prompt needs.
   *
   * @param facts null when the span was not analysed
   * @param members a class's members that are spans of their own, in line order (else empty)
   * @param invalidAnswer the prompt last answered invalidly for the span's current code, if any
   */
  public record ClaimedSpan(
      JobSpan job,
      boolean enriched,
      @Nullable SpanFacts facts,
      List<SpanTable.Member> members,
      SpanFailureTable.@Nullable InvalidAnswer invalidAnswer) {

    /** True when a note for this span would be wrong (code edited) or paid twice (done). */
    public boolean settled() {
      return job.stale() || enriched;
    }
  }

  /**
   * The job's spans in prompt order with everything a worker's claim reads about them, in one
   * statement: a round trip per span and per question made the claim the largest part of a short
   * job's time. Each column is its owner's fragment ({@link SpanStates}, {@link SpanFactsTable},
   * {@link SpanTable}, {@link SpanFailureTable}), so each rule stays where it is.
   */
  public static List<ClaimedSpan> claimSpans(Connection c, UUID jobId) throws SQLException {
    List<ClaimedSpan> result = new ArrayList<>();
    int n = SpanTable.SPAN_COLUMN_COUNT;
    try (PreparedStatement ps =
        c.prepareStatement(
            "select "
                + SpanTable.SPAN_COLUMNS
                + ", js.span_hash, js.ordinal, "
                + SpanStates.ENRICHED_OF_S
                + ", "
                + SpanFactsTable.FACTS_OF_S
                + ", "
                + SpanFailureTable.LAST_INVALID_ANSWER_OF_S
                + ", "
                + SpanTable.MEMBERS_COLUMNS
                + " from job_spans js join spans s on s.id = js.span_id"
                + " join files f on f.id = s.file_id"
                + SpanTable.MEMBERS_OF_S
                + " where js.job_id = ? order by js.ordinal")) {
      ps.setObject(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(
              new ClaimedSpan(
                  new JobSpan(SpanTable.span(rs), rs.getString(n + 1), rs.getInt(n + 2)),
                  rs.getBoolean(n + 3),
                  SpanFactsTable.facts(rs.getString(n + 4)),
                  SpanTable.members(rs, n + 6),
                  SpanFailureTable.invalidAnswer(rs.getString(n + 5))));
        }
      }
    }
    return result;
  }

  /** A span of a job whose planned version is still current and has no current note. */
  public record OpenSpan(long spanId, String hash, int tokens) {}

  public static List<OpenSpan> openSpans(Connection c, UUID jobId) throws SQLException {
    List<OpenSpan> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select s.id, s.content_hash, s.token_estimate from job_spans js"
                + " join spans s on s.id = js.span_id and s.content_hash = js.span_hash"
                + " join span_state st on st.span_id = s.id"
                + " where js.job_id = ? and not st.enriched order by js.ordinal")) {
      ps.setObject(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new OpenSpan(rs.getLong(1), rs.getString(2), rs.getInt(3)));
        }
      }
    }
    return out;
  }

  /** Locks the job's row when it is still enqueued or processing; false when it is not. */
  public static boolean lockIfLive(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select 1 from jobs where id = ? and codegloss_job_is_live(status) for update")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  public static void markProcessing(Connection c, UUID id, String worker) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update jobs set status = 'processing', attempts = attempts + 1, worker = ?,"
                + " updated_at = now() where id = ?")) {
      ps.setString(1, worker);
      ps.setObject(2, id);
      ps.executeUpdate();
    }
  }

  /** Sets the job's final status; a null error keeps the last one recorded. */
  public static void finish(Connection c, UUID id, JobStatus status, @Nullable String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update jobs set status = ?, last_error = coalesce(?, last_error), updated_at = now()"
                + " where id = ?")) {
      ps.setString(1, status.db());
      ps.setString(2, error);
      ps.setObject(3, id);
      ps.executeUpdate();
    }
  }

  /** Jobs by "kind/status" ("batch/enqueued" and so on), in that order. */
  public static Map<String, Long> countByKindAndStatus(Connection c) throws SQLException {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select kind, status, count(*) from jobs group by kind, status"
                    + " order by kind, status");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byStatus.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
      }
    }
    return byStatus;
  }

  /** Enqueued jobs larger than {@code tokens}: too large for every live worker. */
  public static long countEnqueuedLargerThan(Connection c, int tokens) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select count(*) from jobs where status = 'enqueued' and tokens > ?")) {
      ps.setInt(1, tokens);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Jobs of one repository, kind and status, and their tokens. */
  public record RepoKindStatus(
      long repoId, JobKind kind, JobStatus status, long jobs, long tokens) {}

  public static List<RepoKindStatus> countByRepoKindAndStatus(Connection c) throws SQLException {
    List<RepoKindStatus> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select repo_id, kind, status, count(*), coalesce(sum(tokens), 0)"
                    + " from jobs group by repo_id, kind, status");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new RepoKindStatus(
                rs.getLong(1),
                JobKind.fromDb(rs.getString(2)),
                JobStatus.fromDb(rs.getString(3)),
                rs.getLong(4),
                rs.getLong(5)));
      }
    }
    return out;
  }

  /** Enqueued jobs larger than {@code tokens} per repository and kind. */
  public record TooLarge(long repoId, JobKind kind, long jobs) {}

  public static List<TooLarge> enqueuedLargerThanByRepoAndKind(Connection c, int tokens)
      throws SQLException {
    List<TooLarge> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select repo_id, kind, count(*) from jobs where status = 'enqueued' and tokens > ?"
                + " group by repo_id, kind")) {
      ps.setInt(1, tokens);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new TooLarge(rs.getLong(1), JobKind.fromDb(rs.getString(2)), rs.getLong(3)));
        }
      }
    }
    return out;
  }

  /** Enqueued jobs of one priority: how many and since when the oldest waits. */
  public record PriorityCount(JobPriority priority, long jobs, @Nullable Instant oldest) {}

  /** Enqueued jobs by priority, in the order workers take them (interactive first). */
  public static List<PriorityCount> enqueuedByPriority(Connection c) throws SQLException {
    Map<JobPriority, PriorityCount> found = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select priority, count(*), min(created_at) from jobs where status = 'enqueued'"
                    + " group by priority");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        JobPriority p = JobPriority.fromDb(rs.getString(1));
        java.sql.Timestamp oldest = rs.getTimestamp(3);
        found.put(
            p, new PriorityCount(p, rs.getLong(2), oldest == null ? null : oldest.toInstant()));
      }
    }
    List<PriorityCount> out = new ArrayList<>();
    for (JobPriority p : JobPriority.values()) {
      out.add(found.getOrDefault(p, new PriorityCount(p, 0, null)));
    }
    return out;
  }

  /** An enqueued job larger than some limit, with where its spans are. */
  public record LargeJob(
      UUID id,
      JobKind kind,
      String path,
      int startLine,
      int endLine,
      List<String> symbols,
      int tokens,
      int spanTokens) {}

  /** At most {@code limit} enqueued jobs larger than {@code tokens}, the largest first. */
  public static List<LargeJob> enqueuedLargerThan(Connection c, int tokens, int limit)
      throws SQLException {
    return largeJobs(c, "j.tokens > ?", limit, tokens);
  }

  /**
   * Enqueued single-span jobs of at most {@code tokens} that are smaller than their span's code
   * plus {@code singleOverhead} (the prompt's fixed part and one output cap): they run with their
   * code cut to fit ({@code JobSizing.singleJobTokens}). At most {@code limit}, the largest span
   * first.
   */
  public static List<LargeJob> enqueuedCut(Connection c, int singleOverhead, int tokens, int limit)
      throws SQLException {
    return largeJobs(
        c,
        "j.kind = 'single' and j.tokens <= ? and j.span_tokens + ? > j.tokens",
        limit,
        tokens,
        singleOverhead);
  }

  /** How many enqueued jobs {@link #enqueuedCut} would list without its limit. */
  public static long countEnqueuedCut(Connection c, int singleOverhead, int tokens)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(*) from jobs where status = 'enqueued' and kind = 'single'"
                + " and tokens <= ? and span_tokens + ? > tokens")) {
      ps.setInt(1, tokens);
      ps.setInt(2, singleOverhead);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<LargeJob> largeJobs(Connection c, String condition, int limit, int... params)
      throws SQLException {
    List<LargeJob> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select j.id, j.kind, coalesce(min(f.path), ''), min(s.start_line), max(s.end_line),"
                + " array_agg(s.symbol order by js.ordinal), j.tokens, j.span_tokens"
                + " from jobs j join job_spans js on js.job_id = j.id"
                + " join spans s on s.id = js.span_id left join files f on f.id = s.file_id"
                + " where j.status = 'enqueued' and "
                + condition
                + " group by j.id order by j.tokens desc, j.span_tokens desc, j.id limit ?")) {
      int i = 1;
      for (int p : params) {
        ps.setInt(i++, p);
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new LargeJob(
                  rs.getObject(1, UUID.class),
                  JobKind.fromDb(rs.getString(2)),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getInt(5),
                  List.of((String[]) rs.getArray(6).getArray()),
                  rs.getInt(7),
                  rs.getInt(8)));
        }
      }
    }
    return out;
  }

  /** The ids of processing jobs per worker, oldest first, at most {@code perWorker} each. */
  public static Map<String, List<UUID>> processingByWorker(Connection c, int perWorker)
      throws SQLException {
    Map<String, List<UUID>> out = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select worker, id from jobs where status = 'processing' and worker is not null"
                    + " order by updated_at");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<UUID> ids = out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
        if (ids.size() < perWorker) {
          ids.add(rs.getObject(2, UUID.class));
        }
      }
    }
    return out;
  }

  /** A job that failed for good. */
  public record Failed(
      UUID id,
      String repoName,
      JobKind kind,
      int tokens,
      int attempts,
      @Nullable String lastError,
      @Nullable String worker,
      Instant updatedAt) {}

  /** The {@code limit} most recently failed jobs, newest first. */
  public static List<Failed> recentlyFailed(Connection c, int limit) throws SQLException {
    List<Failed> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select j.id, r.name, j.kind, j.tokens, j.attempts, j.last_error, j.worker,"
                + " j.updated_at from jobs j join repositories r on r.id = j.repo_id"
                + " where j.status = 'failed' order by j.updated_at desc, j.id limit ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Failed(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  JobKind.fromDb(rs.getString(3)),
                  rs.getInt(4),
                  rs.getInt(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getTimestamp(8).toInstant()));
        }
      }
    }
    return out;
  }

  /**
   * The first pass: each span's first job (the earliest job that holds it, as planned) and that
   * job's first call. Everything else is rework: JobRunr retries, single-span jobs split off a
   * batch, spans planned again after a failure. Shared with {@link LlmCallTable#calls}.
   */
  static final String FIRST_PASS =
      "with first_job as ("
          + "  select distinct on (js.span_id) js.span_id, j.id as job_id, j.kind"
          + "  from job_spans js join jobs j on j.id = js.job_id"
          + "  order by js.span_id, j.created_at, j.id),"
          + " first_jobs as (select distinct job_id, kind from first_job),"
          + " first_calls as ("
          + "  select distinct on (l.job_id) l.job_id, l.id, l.outcome from llm_calls l"
          + "  join first_jobs f on f.job_id = l.job_id order by l.job_id, l.id)";

  /**
   * What the first pass planned and did.
   *
   * @param spansCalled spans whose first job got a call
   * @param spansValidFirstTry spans whose first job's first call stored their note
   * @param pausedBatches first-pass batches split without a call because batching was paused
   */
  public record FirstPass(
      long batches,
      long singles,
      long fallbackJobs,
      long spansCalled,
      long spansValidFirstTry,
      long pausedBatches) {}

  public static FirstPass firstPass(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                FIRST_PASS
                    + " select (select count(*) from first_jobs where kind = 'batch'),"
                    + " (select count(*) from first_jobs where kind = 'single'),"
                    + " (select count(*) from jobs where parent_id is not null),"
                    + " (select count(*) from first_job fj"
                    + "   where exists (select 1 from first_calls fc where fc.job_id = fj.job_id)),"
                    + " (select count(*) from first_job fj"
                    + "   join first_calls fc on fc.job_id = fj.job_id"
                    + "     and fc.outcome in ('ok', 'partial')"
                    + "   join enrichments e on e.span_id = fj.span_id and e.job_id = fj.job_id),"
                    + " (select count(*) from first_jobs fj join jobs j on j.id = fj.job_id"
                    + "   where fj.kind = 'batch' and j.last_error like 'batching paused%')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new FirstPass(
          rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
    }
  }

  /** Whether any job of any repository is enqueued or processing. */
  public static boolean anyLive(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "select exists (select 1 from jobs where codegloss_job_is_live(status))");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** The repository's jobs that are enqueued or processing. */
  public static long countLive(Connection c, long repoId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(*) from jobs where repo_id = ? and codegloss_job_is_live(status)")) {
      ps.setLong(1, repoId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
