package io.codegloss.worker.job;

/**
 * Who a worker is and what it accepts.
 *
 * @param name unique name, shown on the dashboards and stored with every enrichment
 * @param host the machine it runs on
 * @param maxTokens the largest job it accepts: prompt plus output cap
 * @param concurrency jobs at once
 */
public record WorkerIdentity(String name, String host, int maxTokens, int concurrency) {}
