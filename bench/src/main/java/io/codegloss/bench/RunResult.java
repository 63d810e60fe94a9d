package io.codegloss.bench;

import io.codegloss.bench.quality.DocstringQuality;
import io.codegloss.bench.quality.Retrieval;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything measured in one run: one mode of the comparison, or one point of a scaling curve.
 *
 * @param name the mode (single, batch, batch-x2) or scaling point (e.g. "4 workers")
 * @param backendLabel the model, or {@link FixedLatencyEndpoint#LABEL} with its latency
 * @param plan the plan settings, in variable names
 * @param workers worker processes (or in-process workers)
 * @param concurrency jobs at once per worker
 * @param wallSeconds from the first enqueue until every span was enriched or failed for good
 * @param dbActiveMillis time PostgreSQL spent executing statements of this run (all processes), or
 *     -1 when the server cannot tell
 * @param timedOut true when the run was stopped at the timeout
 * @param docstrings prose against the spans' docstrings ({@code --quality docstrings}), or null
 * @param retrieval search's MRR@10 and recall@10 by layer set ({@code --quality retrieval}), or
 *     null
 */
record RunResult(
    String name,
    String backendLabel,
    String plan,
    int workers,
    int concurrency,
    double wallSeconds,
    Measure.Volume volume,
    Measure.Timing timing,
    Measure.Cost cost,
    Measure.Quality quality,
    double dbActiveMillis,
    boolean timedOut,
    java.util.List<Measure.CallRow> calls,
    Map<String, Integer> failureReasons,
    DocstringQuality.@Nullable Scores docstrings,
    Retrieval.@Nullable Scores retrieval) {

  RunResult {
    calls = java.util.List.copyOf(calls);
    failureReasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failureReasons));
  }

  double callsPerSpan() {
    return Measure.ratio(volume.calls(), volume.spans());
  }

  double secondsPerSpan() {
    return Measure.ratio(wallSeconds, volume.spans());
  }

  /**
   * Spans settled per minute: enriched, or failed for good and recorded. A queue's throughput is
   * the spans it carries through, whether the model's answer for them validated or not.
   */
  double spansPerMinute() {
    return Measure.ratio((volume.enriched() + volume.failed()) * 60.0, wallSeconds);
  }

  /**
   * Spans per second from the first job's start to the last job's end: the fleet's own rate, which
   * the enqueue before it and the bench's 250 ms poll for the end do not dilute.
   */
  double activeSpansPerSecond() {
    return Measure.ratio(
        (volume.enriched() + volume.failed()) * 1000.0, (double) timing.activeMs());
  }

  /**
   * Share of the fleet's call slots (processes × concurrency) that held a model call while it was
   * at work. Jobs run ahead of the calls ({@code CODEGLOSS_WORKER_AHEAD}), so jobs running at once
   * can exceed the slots; calls cannot.
   */
  double slotOccupancy() {
    return Measure.ratio(timing.meanCallsInFlight(), (double) workers * concurrency);
  }

  double firstTryValidRate() {
    return Measure.ratio(volume.firstTryValid(), volume.spans());
  }

  double finalValidRate() {
    return Measure.ratio(volume.enriched(), volume.spans());
  }

  /** Calls of planned jobs' first attempts: what the mode costs when every answer validates. */
  long firstPassCalls() {
    return calls.stream().filter(c -> !c.rework()).count();
  }

  // Per span of the first pass: spans whose planned job was paused, not sent, cost nothing there
  // and would flatter the ratio.
  double firstPassCallsPerSpan() {
    return Measure.ratio(firstPassCalls(), volume.firstPassSpans());
  }

  double firstPassLlmSecondsPerSpan() {
    return Measure.ratio(
        calls.stream().filter(c -> !c.rework()).mapToLong(Measure.CallRow::wallMillis).sum()
            / 1000.0,
        volume.firstPassSpans());
  }

  double firstPassPromptTokensPerSpan() {
    return Measure.ratio(
        calls.stream().filter(c -> !c.rework()).mapToLong(Measure.CallRow::promptTokens).sum(),
        volume.firstPassSpans());
  }

  /**
   * Every call's LLM time per span. The doc-completion shape continues each span of a batch with
   * its own call, and only a job's first call is first pass, so the first-pass figure of a batch
   * leaves most of its calls out; the whole bill compares the modes.
   */
  double llmSecondsPerSpan() {
    return Measure.ratio(volume.llmMillis() / 1000.0, volume.spans());
  }

  double completionTokensPerSpan() {
    return Measure.ratio(volume.completionTokens(), volume.spans());
  }

  /** Share of the wall time during which no LLM call was in flight. */
  double queueOverheadShare() {
    return wallSeconds <= 0 ? 0 : Math.max(0, 1 - timing.llmBusyMs() / (wallSeconds * 1000));
  }

  double dbMillisPerJob() {
    return dbActiveMillis < 0 || timing.jobs() == 0 ? -1 : dbActiveMillis / timing.jobs();
  }

  /** The per-mode object of the JSON report; the required keys first. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spans", volume.spans());
    m.put("calls", volume.calls());
    m.put("calls_per_span", round(callsPerSpan(), 4));
    m.put("prompt_tokens", volume.promptTokens());
    m.put("completion_tokens", volume.completionTokens());
    m.put("wall_seconds", round(wallSeconds, 2));
    m.put("seconds_per_span", round(secondsPerSpan(), 3));
    m.put("first_try_valid_rate", round(firstTryValidRate(), 4));
    m.put("final_valid_rate", round(finalValidRate(), 4));
    m.put("spans_lost", volume.lost());
    m.put("spans_failed", volume.failed());
    m.put("spans_enriched", volume.enriched());
    m.put("spans_per_minute", round(spansPerMinute(), 2));
    m.put("backend", backendLabel);
    m.put("plan", plan);
    m.put("workers", workers);
    m.put("concurrency", concurrency);
    m.put("timed_out", timedOut);
    Map<String, Object> jobs = new LinkedHashMap<>();
    jobs.put("planned_batches", volume.plannedBatches());
    jobs.put("planned_singles", volume.plannedSingles());
    jobs.put("fallback_singles", volume.fallbackJobs());
    jobs.put("retry_calls", volume.retryCalls());
    jobs.put("llm_seconds", round(volume.llmMillis() / 1000.0, 2));
    m.put("jobs", jobs);
    m.put("failure_reasons", failureReasons);
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("calls", firstPassCalls());
    first.put("spans", volume.firstPassSpans());
    first.put("paused_batches", volume.pausedBatches());
    first.put("calls_per_span", round(firstPassCallsPerSpan(), 4));
    first.put("llm_seconds_per_span", round(firstPassLlmSecondsPerSpan(), 3));
    first.put("prompt_tokens_per_span", round(firstPassPromptTokensPerSpan(), 1));
    m.put("first_pass", first);
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("code_tokens", this.cost.codeTokens());
    cost.put("output_tokens", this.cost.outputTokens());
    cost.put("floor_tokens_per_span", round(this.cost.floorPerSpan(), 1));
    cost.put("processed_tokens_per_span", round(this.cost.processedPerSpan(), 1));
    cost.put("times_floor", round(this.cost.timesFloor(), 3));
    cost.put("tokenizer", this.cost.exact() ? "model" : "estimate");
    m.put("cost", cost);
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("spans_with_relations", quality.spansWithRelations());
    q.put("true_relations", quality.trueRelations());
    q.put("named_relations", quality.namedRelations());
    q.put("named_true", quality.namedTrue());
    q.put("relationship_recall", round(quality.relationshipRecall(), 4));
    q.put("relationship_precision", round(quality.relationshipPrecision(), 4));
    q.put("related_kept", quality.relatedKept());
    q.put("related_dropped", quality.relatedDropped());
    q.put("existence_ratio", round(quality.existenceRatio(), 4));
    q.put("evidence_inside", quality.evidenceKept());
    q.put("evidence_outside", quality.evidenceOutside());
    q.put("evidence_inside_ratio", round(quality.evidenceInsideRatio(), 4));
    q.put("inputs_completeness", round(quality.inputsCompleteness(), 4));
    q.put("inputs_applicable", quality.withParameters());
    q.put("outputs_completeness", round(quality.outputsCompleteness(), 4));
    q.put("outputs_applicable", quality.returning());
    q.put("side_effects_completeness", round(quality.sideEffectsCompleteness(), 4));
    q.put("side_effects_applicable", quality.withSideEffects());
    if (docstrings != null) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("spans", docstrings.spans());
      d.put("rouge_l", round(docstrings.rougeL(), 4));
      d.put("bleu4", round(docstrings.bleu4(), 4));
      d.put("baseline_rouge_l", round(docstrings.baselineRougeL(), 4));
      d.put("baseline_bleu4", round(docstrings.baselineBleu4(), 4));
      d.put("missing", docstrings.missing());
      q.put("docstrings", d);
    }
    if (retrieval != null) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("queries", retrieval.queries());
      Map<String, Object> mrr = new LinkedHashMap<>();
      retrieval.mrr10().forEach((k, v) -> mrr.put(k, round(v, 4)));
      Map<String, Object> recall = new LinkedHashMap<>();
      retrieval.recall10().forEach((k, v) -> recall.put(k, round(v, 4)));
      d.put("mrr10", mrr);
      d.put("recall10", recall);
      q.put("retrieval", d);
    }
    m.put("quality", q);
    Map<String, Object> queue = new LinkedHashMap<>();
    queue.put("jobs", timing.jobs());
    queue.put("overhead_share", round(queueOverheadShare(), 4));
    queue.put("llm_busy_seconds", round(timing.llmBusyMs() / 1000.0, 2));
    queue.put("first_pickup_ms", round(timing.firstPickupMs(), 1));
    queue.put("mean_pickup_gap_ms", round(timing.meanPickupGapMs(), 1));
    queue.put("mean_queue_wait_ms", round(timing.meanQueueWaitMs(), 1));
    queue.put("p95_queue_wait_ms", round(timing.p95QueueWaitMs(), 1));
    queue.put("mean_in_job_non_llm_ms", round(timing.meanInJobNonLlmMs(), 1));
    queue.put("active_seconds", round(timing.activeMs() / 1000.0, 2));
    queue.put("active_spans_per_second", round(activeSpansPerSecond(), 2));
    queue.put("mean_running_jobs", round(timing.meanRunningJobs(), 2));
    queue.put("mean_calls_in_flight", round(timing.meanCallsInFlight(), 2));
    queue.put("mean_call_ms", round(Measure.ratio(timing.callMs(), volume.calls()), 1));
    queue.put("slot_occupancy", round(slotOccupancy(), 4));
    queue.put("db_active_ms", round(dbActiveMillis, 1));
    queue.put("db_ms_per_job", round(dbMillisPerJob(), 2));
    m.put("queue", queue);
    return m;
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
