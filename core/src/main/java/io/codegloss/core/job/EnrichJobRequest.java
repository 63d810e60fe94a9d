package io.codegloss.core.job;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The JobRunr payload of every enrichment job, batch or single. It carries only the id of our own
 * {@code jobs} row (which is also the JobRunr job id); the worker reads spans, code and size from
 * PostgreSQL, so a worker needs no copy of the repository.
 */
public record EnrichJobRequest(UUID jobId) implements JobRequest {

  @Override
  public Class<EnrichJobDispatcher> getJobRequestHandler() {
    return EnrichJobDispatcher.class;
  }
}
