package io.codegloss.worker.job;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.Queue;
import io.codegloss.worker.enrich.EnrichmentStore;
import io.codegloss.worker.llm.LlmBackend;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one way a worker is wired: {@code codegloss worker}, {@code up} and the benchmark (in process
 * and in its worker JVMs) all build theirs here, so that the benchmark measures the production path
 * and not a stand-in.
 */
public final class Workers {

  private Workers() {}

  /**
   * A worker that is not started yet.
   *
   * @param defaultName the name when {@link WorkerSettings#name()} is unset
   * @param version stored with the worker's registration
   */
  public static WorkerProcess create(
      Database db, LlmBackend backend, WorkerSettings s, String defaultName, String version) {
    WorkerIdentity identity = identity(s, backend, defaultName);
    Queue queue = Queue.open(db.dataSource(), identity::maxTokens);
    JobEnqueuer enqueuer = new JobEnqueuer(db, queue);
    ModelCallGate gate = new ModelCallGate(identity.concurrency());
    EnrichJobRunner runner =
        new EnrichJobRunner(db, backend, gate, identity, enqueuer, pipeline(backend, s));
    return new WorkerProcess(
        db,
        queue,
        identity,
        runner,
        backend.name(),
        backend.model(),
        version,
        new WorkerProcess.ServerTiming(
            s.timing().pollSeconds(), s.timing().timeoutMultiplicand(), s.timing().retries()),
        s.wake(),
        gate);
  }

  static EnrichmentPipeline pipeline(LlmBackend backend, WorkerSettings s) {
    return new EnrichmentPipeline(
        backend,
        new EnrichmentStore(s.retry()),
        s.timeoutBaseSeconds(),
        s.secondsPerPromptToken(),
        s.secondsPerOutputToken(),
        s.batchPause());
  }

  /** Name, host and limits; a token limit above the model's context window is a setting error. */
  public static WorkerIdentity identity(WorkerSettings s, LlmBackend backend, String defaultName) {
    int maxTokens = maxTokens(s, backend);
    return new WorkerIdentity(
        s.name() != null ? s.name() : defaultName,
        hostName(),
        maxTokens,
        s.concurrency(),
        s.jobsAhead());
  }

  /** The largest job this worker takes: the setting, or the model's whole context window. */
  public static int maxTokens(WorkerSettings s, LlmBackend backend) {
    if (s.maxTokens() == null) {
      return backend.contextWindow();
    }
    if (s.maxTokens() > backend.contextWindow()) {
      throw new ConfigException(
          WorkerSettings.MAX_TOKENS
              + " (--max-tokens) is "
              + s.maxTokens()
              + " but the model's context window is "
              + backend.contextWindow()
              + "; a job can be at most that large");
    }
    return s.maxTokens();
  }

  /** This machine's name, as shown on the dashboards. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
