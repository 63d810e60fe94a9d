package io.codegloss.core.queue;

import java.sql.Connection;
import java.util.List;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.sql.common.JobTable;
import org.jobrunr.storage.sql.common.db.Dialect;
import org.jobrunr.storage.sql.common.mapper.SqlJobPageRequestMapper;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

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

  private final IntSupplier maxTokens;
  private volatile JobMapper mapper;

  public CapacityStorageProvider(DataSource dataSource, IntSupplier maxTokens) {
    super(dataSource, DatabaseOptions.SKIP_CREATE);
    this.maxTokens = maxTokens;
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

    private final JobMapper jobMapper;
    private final int maxTokens;
    private final SqlJobPageRequestMapper pages;
    private final Dialect sqlDialect;

    CapacityJobTable(
        Connection connection,
        Dialect dialect,
        String tablePrefix,
        JobMapper jobMapper,
        int maxTokens) {
      super(connection, dialect, tablePrefix, jobMapper);
      this.jobMapper = jobMapper;
      this.maxTokens = maxTokens;
      this.pages = new SqlJobPageRequestMapper(this, dialect);
      this.sqlDialect = dialect;
    }

    @Override
    public List<Job> selectJobsToProcess(AmountRequest amountRequest) {
      withState(StateName.ENQUEUED);
      with("maxTokens", maxTokens);
      // Jobs without a row in `jobs` (not ours) are never fetched by a worker.
      return select(
              "jobAsJson from jobrunr_jobs where state = :state and id in"
                  + " (select cast(id as text) from jobs where tokens <= :maxTokens)",
              pages.map(amountRequest) + sqlDialect.selectForUpdateSkipLocked())
          .map(rs -> jobMapper.deserializeJob(rs.asString("jobAsJson")))
          .toList();
    }
  }
}
