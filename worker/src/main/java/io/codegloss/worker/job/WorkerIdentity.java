package io.codegloss.worker.job;

/**
 * Who a worker is and what it accepts.
 *
 * @param name unique name, shown on the dashboards and stored with every enrichment
 * @param host the machine it runs on
 * @param maxTokens the largest job it accepts: prompt plus output cap
 * @param concurrency calls to the model at once
 * @param ahead jobs run beyond {@code concurrency}: they prepare and store while the model answers
 *     others, and wait for a free call before theirs ({@link WorkerSettings#jobsAhead})
 */
public record WorkerIdentity(String name, String host, int maxTokens, int concurrency, int ahead) {

  /** A worker that runs exactly {@code concurrency} jobs at once, none ahead. */
  public WorkerIdentity(String name, String host, int maxTokens, int concurrency) {
    this(name, host, maxTokens, concurrency, 0);
  }

  /** Jobs at once: JobRunr's worker threads. */
  public int jobThreads() {
    return concurrency + ahead;
  }
}
