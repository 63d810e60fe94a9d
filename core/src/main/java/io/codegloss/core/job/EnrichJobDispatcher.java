package io.codegloss.core.job;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * The concrete handler class every {@link EnrichJobRequest} names. JobRunr checks, when a job is
 * created, that the handler class it names has a non-abstract {@code run} method ({@code
 * JobUtils.assertJobExists}), so naming the {@link EnrichJobHandler} interface makes every enqueue
 * fail with JobMethodNotFoundException. A worker's JobActivator hands out one of these that
 * forwards to the worker's own handler.
 */
public final class EnrichJobDispatcher implements JobRequestHandler<EnrichJobRequest> {

  private final EnrichJobHandler handler;

  public EnrichJobDispatcher(EnrichJobHandler handler) {
    this.handler = handler;
  }

  @Override
  public void run(EnrichJobRequest request) throws Exception {
    handler.run(request);
  }
}
