package io.codegloss.bench;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.worker.job.EnrichJobRunner;
import io.codegloss.worker.job.EnrichmentPipeline;
import io.codegloss.worker.job.WorkerIdentity;
import io.codegloss.worker.job.WorkerProcess;
import io.codegloss.worker.llm.LlmBackend;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A worker wired exactly as {@code codegloss worker} wires one (the CLI's {@code
 * Commands.newWorker}), so that the benchmark measures the production path and not a stand-in.
 */
final class Wiring {

  static final String VERSION = "bench";

  private Wiring() {}

  /** The worker's token limit: CODEGLOSS_WORKER_MAX_TOKENS, at most the model's context. */
  static int maxTokens(Settings s, LlmBackend backend) {
    int max = s.intValue("CODEGLOSS_WORKER_MAX_TOKENS", backend.contextWindow(), 256, 10_000_000);
    if (max > backend.contextWindow()) {
      throw new ConfigException(
          "CODEGLOSS_WORKER_MAX_TOKENS is "
              + max
              + " but the model's context window is "
              + backend.contextWindow());
    }
    return max;
  }

  static WorkerProcess.ServerTiming timing(Settings s) {
    return new WorkerProcess.ServerTiming(
        s.intValue("CODEGLOSS_POLL_SECONDS", 5, 5, 3600),
        s.intValue("CODEGLOSS_SERVER_TIMEOUT_MULTIPLICAND", 12, 4, 1000),
        s.intValue("CODEGLOSS_JOB_RETRIES", 3, 0, 20));
  }

  static WorkerProcess worker(
      Settings s, Database db, LlmBackend backend, String name, int concurrency) {
    WorkerIdentity identity =
        new WorkerIdentity(name, hostName(), maxTokens(s, backend), concurrency);
    Queue queue = Queue.open(db.dataSource(), identity::maxTokens);
    JobEnqueuer enqueuer = new JobEnqueuer(db, queue.scheduler());
    EnrichJobRunner runner =
        new EnrichJobRunner(db, backend, identity, enqueuer, EnrichmentPipeline.create(backend, s));
    return new WorkerProcess(
        db, queue, identity, runner, backend.name(), backend.model(), VERSION, timing(s));
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
