package io.codegloss.core.job;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** Implemented by the worker; the scheduler only needs the type to enqueue. */
public interface EnrichJobHandler extends JobRequestHandler<EnrichJobRequest> {}
