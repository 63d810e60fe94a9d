package io.codegloss.core.queue;

import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr wired by hand, without its global {@code JobRunr.configure()} singleton, so that one
 * process can hold a scheduler, a worker and a dashboard at once (the {@code up} command).
 *
 * @param storage the capacity-aware storage provider
 * @param jsonMapper the mapper JobRunr serializes jobs with
 * @param scheduler enqueues {@link io.codegloss.core.job.EnrichJobRequest}s
 */
public record Queue(
    CapacityStorageProvider storage, JsonMapper jsonMapper, JobRequestScheduler scheduler) {

  /** A queue whose servers fetch only jobs of at most {@code maxTokens} tokens. */
  public static Queue open(DataSource dataSource, IntSupplier maxTokens) {
    JsonMapper json = new JacksonJsonMapper();
    CapacityStorageProvider storage = new CapacityStorageProvider(dataSource, maxTokens);
    storage.setJobMapper(new JobMapper(json));
    return new Queue(storage, json, new JobRequestScheduler(storage));
  }

  /** A queue for processes that enqueue and watch but never run jobs. */
  public static Queue openClientOnly(DataSource dataSource) {
    return open(dataSource, () -> 0);
  }
}
