package io.codegloss.core.queue;

import io.codegloss.core.store.JobKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.sql.common.JobTable;
import org.jobrunr.storage.sql.common.db.Dialect;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jspecify.annotations.Nullable;

/**
 * JobRunr's PostgreSQL storage with one change: a server fetches only jobs whose size fits.
 *
 * <p>OSS JobRunr has no queues or server tags and cannot hand a job back once it is PROCESSING, so
 * the decision has to be made in the fetch itself: {@code SELECT ... FOR UPDATE SKIP LOCKED} is
 * restricted to job ids whose row in our own {@code jobs} table has {@code tokens <= max}. A server
 * with a limit of 0 fetches nothing at all, which is how the scheduler can be a JobRunr master
 * (orphan detection, retries) without ever running an LLM job.
 *
 * <p>Tables are never created here: {@code DbMigrations} owns them.
 */
public final class CapacityStorageProvider extends PostgresStorageProvider {

  /**
   * Interactive jobs first, along the small partial index of enqueued interactive jobs. The join
   * compares JobRunr's {@code character(36)} id with our uuid cast to the same type, so each row is
   * one probe of JobRunr's primary key: compared as text (as until 2026-12-07) the planner could
   * only scan all of JobRunr's table for every fetch, 275 ms at 51,000 jobs.
   */
  public static final String INTERACTIVE_FETCH =
      "r.jobAsJson from jobs j join jobrunr_jobs r on r.id = cast(j.id as character(36))"
          + " where j.priority = 'interactive' and j.status = 'enqueued'"
          + " and j.tokens <= :maxTokens and r.state = :state";

  /**
   * The rest in JobRunr's order. The size test is one probe of our primary key per row walked along
   * JobRunr's (state, updatedAt) index, so a fetch reads about {@code limit} rows however long the
   * queue is. The earlier {@code id in (select cast(id as text) ...)} was hashed or nested-looped
   * over every job: 1-3 ms per fetch at 500-2,700 jobs, and 177 ms at 51,000 once JobRunr's order
   * and ours drifted apart.
   */
  public static final String BULK_FETCH =
      "r.jobAsJson from jobrunr_jobs r where r.state = :state and exists"
          + " (select 1 from jobs j where j.id = cast(r.id as uuid) and j.tokens <= :maxTokens)";

  private final IntSupplier maxTokens;
  private volatile JobMapper mapper;
  private volatile long lastFetchEndNanos = System.nanoTime() - 1_000_000_000L;
  private final AtomicLong fetchesStarted = new AtomicLong();

  public CapacityStorageProvider(DataSource dataSource, IntSupplier maxTokens) {
    super(dataSource, DatabaseOptions.SKIP_CREATE);
    this.maxTokens = maxTokens;
  }

  /**
   * Our enqueued, scheduled (retry) or processing jobs that fit {@code maxTokens}: what a worker
   * started with {@code --until-idle} waits for. JobRunr's table is read here and nowhere else.
   */
  public static long countUnfinishedFitting(Connection c, int maxTokens) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "select count(*) from jobrunr_jobs r join jobs j on r.id = cast(j.id as character(36))"
                + " where r.state in ('ENQUEUED', 'SCHEDULED', 'PROCESSING') and j.tokens <= ?")) {
      ps.setInt(1, maxTokens);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * A live job of ours that needs the sweeper: JobRunr gave up on it or it was deleted there
   * ({@code jobRunrState} FAILED or DELETED), or JobRunr never heard of it ({@code jobRunrState}
   * null).
   */
  public record StuckJob(
      UUID id, long repoId, @Nullable Long fileId, JobKind kind, @Nullable String jobRunrState) {}

  /**
   * Our live jobs that JobRunr failed or deleted, and those it has not known for {@code
   * lostAfterSeconds} since we wrote them.
   */
  public static List<StuckJob> stuckJobs(Connection c, int lostAfterSeconds) throws SQLException {
    List<StuckJob> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select j.id, j.repo_id, j.file_id, j.kind, r.state from jobs j"
                + " left join jobrunr_jobs r on r.id = cast(j.id as character(36))"
                + " where codegloss_job_is_live(j.status)"
                + " and (r.state in ('FAILED', 'DELETED')"
                + "      or (r.id is null and j.created_at < now() - make_interval(secs => ?)))")) {
      ps.setInt(1, lostAfterSeconds);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StuckJob(
                  rs.getObject(1, UUID.class),
                  rs.getLong(2),
                  (Long) rs.getObject(3),
                  JobKind.fromDb(rs.getString(4)),
                  rs.getString(5)));
        }
      }
    }
    return out;
  }

  /** A JobRunr job's id and its JSON, whose history says when it was enqueued and processed. */
  public record JobJson(String id, String json) {}

  /** Every JobRunr job, for measuring the queue (the benchmark). */
  public static List<JobJson> allJobJson(Connection c) throws SQLException {
    List<JobJson> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("select id, jobasjson from jobrunr_jobs");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new JobJson(rs.getString(1), rs.getString(2)));
      }
    }
    return out;
  }

  /**
   * Saves new jobs with JobRunr's own bulk insert on the caller's connection, so that they commit
   * or roll back together with our rows of them: a process killed halfway leaves each job either
   * complete or absent, never one half of it.
   *
   * @throws org.jobrunr.storage.ConcurrentJobModificationException when one of them exists already
   *     (the caller's transaction is then unusable)
   */
  public void insertNew(Connection c, List<Job> jobs) throws SQLException {
    jobTable(c).save(jobs);
  }

  /** Refreshes the planner statistics of JobRunr's job table (see {@code JobTable.analyze}). */
  public static void analyze(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("analyze jobrunr_jobs")) {
      ps.execute();
    }
  }

  /**
   * JobRunr's fetch, timed: a wake-up poke waits until the jobs of a fetch that just ended have
   * started (see {@link WakeListener}).
   */
  @Override
  public List<Job> getJobsToProcess(BackgroundJobServer server, AmountRequest amountRequest) {
    fetchesStarted.incrementAndGet();
    try {
      return super.getJobsToProcess(server, amountRequest);
    } finally {
      lastFetchEndNanos = System.nanoTime();
    }
  }

  /** Fetches begun so far: one begun after a notification was heard sees the jobs it announced. */
  public long fetchesStarted() {
    return fetchesStarted.get();
  }

  /** Nanoseconds since this server's last fetch of jobs ended. */
  public long nanosSinceLastFetch() {
    return System.nanoTime() - lastFetchEndNanos;
  }

  @Override
  public void setJobMapper(JobMapper jobMapper) {
    super.setJobMapper(jobMapper);
    this.mapper = jobMapper;
  }

  @Override
  protected JobTable jobTable(Connection connection) {
    return new CapacityJobTable(connection, dialect, tablePrefix, mapper, maxTokens.getAsInt());
  }

  private static final class CapacityJobTable extends JobTable {

    private final Connection connection;
    private final JobMapper jobMapper;
    private final int maxTokens;

    CapacityJobTable(
        Connection connection,
        Dialect dialect,
        String tablePrefix,
        JobMapper jobMapper,
        int maxTokens) {
      super(connection, dialect, tablePrefix, jobMapper);
      this.connection = connection;
      this.jobMapper = jobMapper;
      this.maxTokens = maxTokens;
    }

    /**
     * Every save that leaves a job ENQUEUED (our chunks and submits, JobRunr's retries after their
     * backoff, a requeue in its dashboard) announces it on {@link WakeChannel} in the same
     * transaction.
     */
    @Override
    public Job save(Job job) throws SQLException {
      Job saved = super.save(job);
      if (job.getState() == StateName.ENQUEUED) {
        WakeChannel.announce(connection);
      }
      return saved;
    }

    @Override
    public List<Job> save(List<Job> jobs) throws SQLException {
      List<Job> saved = super.save(jobs);
      if (jobs.stream().anyMatch(j -> j.getState() == StateName.ENQUEUED)) {
        WakeChannel.announce(connection);
      }
      return saved;
    }

    @Override
    public List<Job> selectJobsToProcess(AmountRequest amountRequest) {
      int limit = amountRequest.getLimit();
      withState(StateName.ENQUEUED);
      with("maxTokens", maxTokens);
      with("limit", limit);
      // JobRunr OSS has no priorities: interactive jobs first, through a small partial index...
      Map<String, Job> picked = new LinkedHashMap<>();
      select(INTERACTIVE_FETCH, " order by j.created_at limit :limit for update of r skip locked")
          .map(rs -> jobMapper.deserializeJob(rs.asString("jobAsJson")))
          .forEach(job -> picked.put(job.getId().toString(), job));
      if (picked.size() < limit) {
        // ...then JobRunr's own order along its (state, updatedAt) index, which stops after
        // `limit` rows; one query ordering every enqueued job by priority had to sort them all.
        // Rows this transaction locked above are not skipped here, hence the map.
        // Jobs without a row in `jobs` (not ours) are never fetched by a worker. JobRunr's Sql
        // forgets its parameters after each statement.
        withState(StateName.ENQUEUED);
        with("maxTokens", maxTokens);
        with("limit", limit);
        select(BULK_FETCH, " order by r.updatedAt limit :limit for update of r skip locked")
            .map(rs -> jobMapper.deserializeJob(rs.asString("jobAsJson")))
            .forEach(job -> picked.putIfAbsent(job.getId().toString(), job));
      }
      return picked.values().stream().limit(limit).toList();
    }
  }
}
