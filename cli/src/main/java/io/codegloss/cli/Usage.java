package io.codegloss.cli;

/** `codegloss help`. Kept in step with README.md and docs/commands.md. */
final class Usage {

  private Usage() {}

  static final String TEXT =
      """
      codegloss: LLM-written notes for every function, method and class of a repository.

      usage: codegloss COMMAND [ARGS] [FLAGS]

        index PATH [--json]            index a repository (tree-sitter; incremental)
        status [--json]                files, spans, pending work and the queue, per repository
        spans [FILE] [--json]          spans of the repository here, or of one file
        plan [PATH] [--json]           the batches that would be enqueued (no model is called)
        enqueue PATH [--full] [--retry-failed] [--json]
                                       index, plan and enqueue pending spans (--full: re-enrich
                                       all; --retry-failed: offer failed spans again)
        scheduler                      re-index, plan, enqueue and sweep on a loop; JobRunr master
                                       and JobRunr dashboard (--jobrunr-port, --interval-seconds)
        worker                         run enrichment jobs that fit this machine
                                       (--max-tokens N --concurrency N --backend B --model M
                                        --name NAME --until-idle)
        dashboard [--port N]           the codegloss dashboard (queue, throughput, workers, savings)
        up [PATH] [--until-done] [--json]
                                       everything in one process on the embedded default
        show SYMBOL|FILE[:LINE] [--json]
                                       a span's enrichment, with related spans both ways
        stats [--json]                 calls, tokens and time per span by mode, model and worker
        bench [CORPUS] [--limit N] [--json] [--output DIR]
                                       batched against one-span-per-call enrichment, measured

      batching flags (plan, enqueue, scheduler, up): --batch on|off, --batch-max-tokens N,
        --batch-max-line-gap N, --batch-min-size N  (RAG_BATCH_ENRICHMENT, RAG_BATCH_MAX_TOKENS,
        RAG_BATCH_MAX_LINE_GAP, RAG_BATCH_MIN_SIZE)
      every command: --config FILE (default $CODEGLOSS_HOME/config.properties), --db-url URL
      settings: flag > environment > config file > default; see README.md for every variable.
      """;
}
