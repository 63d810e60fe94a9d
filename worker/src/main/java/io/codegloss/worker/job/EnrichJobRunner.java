package io.codegloss.worker.job;

import io.codegloss.core.db.Database;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.job.EnrichJobHandler;
import io.codegloss.core.job.EnrichJobRequest;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.span.SecretRedactor;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.core.store.CallOutcome;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobStatus;
import io.codegloss.core.store.JobTable;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanTable;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmRequest;
import io.codegloss.worker.llm.LlmResponse;
import io.codegloss.worker.llm.PromptShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jobrunr.JobRunrException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one enrichment job, batch or single, on this worker.
 *
 * <p>The seed's fallback, made finer: every item of a batch that validates is stored; only the
 * failed or missing spans come back as single-span jobs (deterministic ids); every call and failure
 * is recorded in {@code llm_calls}; nothing blocks the queue and no span is lost. Writes are
 * idempotent, so a job retried after its worker died never duplicates rows.
 *
 * <p>Every transaction of a run (claim, note, failure, split, a failed call's record) commits
 * without waiting for the disk ({@link Database#inRedoableTransaction}; the claim and the note's
 * transaction through their first statement, {@link JobTable#lockForRun}); the wait was the largest
 * part of a commit. Safe because JobRunr's own save of the run's end (SUCCEEDED, FAILED, a retry,
 * the split's new jobs) comes after ours and commits synchronously: the write-ahead log is flushed
 * in order, so our commits are on disk no later than it. A database crash before that loses both,
 * and JobRunr's job is still PROCESSING: orphaned and run again, onto idempotent writes (the claim
 * then finds the job as it was; at worst the call is paid twice, as after a worker's crash).
 */
public final class EnrichJobRunner implements EnrichJobHandler {

  private static final Logger log = LoggerFactory.getLogger(EnrichJobRunner.class);
  private static final int NEIGHBOURS = 4;

  /** The error of a call whose answer came after another worker had completed the job. */
  static final String LATE_ANSWER =
      "late answer discarded: the job was completed by another worker";

  private final Database db;
  private final LlmBackend backend;
  private final ModelCallGate gate;
  private final WorkerIdentity worker;
  private final JobEnqueuer enqueuer;
  private final EnrichmentPipeline enrichment;
  private final DocCompletionRunner completion;

  /**
   * @param gate the worker's calls at once, shared by all its jobs
   * @param enrichment prompts, parsing and storage for one backend's answers
   */
  EnrichJobRunner(
      Database db,
      LlmBackend backend,
      ModelCallGate gate,
      WorkerIdentity worker,
      JobEnqueuer enqueuer,
      EnrichmentPipeline enrichment) {
    this.db = db;
    this.backend = backend;
    this.gate = gate;
    this.worker = worker;
    this.enqueuer = enqueuer;
    this.enrichment = enrichment;
    this.completion =
        new DocCompletionRunner(db, backend, gate, worker, enrichment.store(), enrichment);
  }

  @Override
  public void run(EnrichJobRequest request) {
    UUID id = request.jobId();
    // the claim's first statement (JobTable.lockForRun) makes its commit not wait for the disk
    Optional<Work> claimed = db.inTransaction((Database.TxWork<Optional<Work>>) c -> claim(c, id));
    if (claimed.isEmpty()) {
      return;
    }
    Work work = claimed.get();
    if (backend.promptShape() == PromptShape.COMPLETION) {
      completion.run(work, work.facts());
      return;
    }
    try {
      if (work.job().kind() == JobKind.BATCH && work.spans().size() > 1) {
        runBatch(work);
      } else {
        for (Span span : work.spans()) {
          runSingle(work, span);
        }
      }
    } catch (PermanentException e) {
      // A permanent failure must not be retried by JobRunr: the span failures are recorded.
      throw new JobRunrException(e.oneLine(), true);
    }
  }

  /**
   * What one run of a job has to do: the spans still needing an enrichment.
   *
   * @param invalidAnswers per span, the prompt last answered invalidly for its current code
   */
  record Work(
      JobTable.Row job,
      List<Span> spans,
      List<SpanTable.Neighbour> context,
      Map<Long, List<SpanTable.Member>> members,
      Map<Long, SpanFacts> facts,
      Map<Long, SpanFailureTable.InvalidAnswer> invalidAnswers,
      boolean firstTry) {

    /**
     * The error of the invalid answer this exact prompt (its fingerprint) already got for the
     * span's current code: greedy decoding would answer it the same way.
     */
    Optional<String> knownInvalidAnswer(Span span, String fingerprint) {
      SpanFailureTable.InvalidAnswer last = invalidAnswers.get(span.id());
      return last == null ? Optional.empty() : last.to(fingerprint);
    }
  }

  private Optional<Work> claim(Connection c, UUID id) throws SQLException {
    Optional<JobTable.Row> row = JobTable.lockForRun(c, id);
    if (row.isEmpty()) {
      log.info("job {} has no row any more; nothing to do", id);
      return Optional.empty();
    }
    JobTable.Row job = row.get();
    if (job.status().completed()) {
      return Optional.empty();
    }
    List<Span> todo = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    // Classes whose methods are spans of their own go as an outline: methods are not paid twice.
    Map<Long, List<SpanTable.Member>> members = new HashMap<>();
    // facts by analysis go into every prompt; the validator checks the prose against them
    Map<Long, SpanFacts> facts = new HashMap<>();
    Map<Long, SpanFailureTable.InvalidAnswer> invalid = new HashMap<>();
    for (JobTable.ClaimedSpan cs : JobTable.claimSpans(c, id)) {
      Span span = cs.job().span();
      ids.add(span.id());
      // An edited span has a new hash and its own new job; never enrich what is already done.
      if (cs.settled()) {
        continue;
      }
      // what goes into a prompt never carries a secret found in the code (SecretRedactor)
      todo.add(span.forPrompt());
      if (span.kind() == SpanKind.CLASS && !cs.members().isEmpty()) {
        members.put(span.id(), cs.members());
      }
      if (cs.facts() != null) {
        facts.put(span.id(), cs.facts().forPrompt());
      }
      if (cs.invalidAnswer() != null) {
        invalid.put(span.id(), cs.invalidAnswer());
      }
    }
    if (todo.isEmpty()) {
      JobTable.finish(c, id, JobStatus.SUCCEEDED, null);
      return Optional.empty();
    }
    JobTable.markProcessing(c, id, worker.name());
    List<SpanTable.Neighbour> context =
        job.fileId() == null
            ? List.of()
            : SpanTable.neighbours(c, job.fileId(), ids, todo.get(0).startLine(), NEIGHBOURS)
                .stream()
                .map(
                    n ->
                        new SpanTable.Neighbour(
                            n.symbol(),
                            n.kind(),
                            n.startLine(),
                            n.signature() == null
                                ? null
                                : SecretRedactor.redact(n.signature()).text(),
                            n.summary()))
                .toList();
    return Optional.of(new Work(job, todo, context, members, facts, invalid, job.attempts() == 0));
  }

  private void runBatch(Work work) {
    List<Span> spans = work.spans();
    Optional<String> paused = db.withConnection(enrichment::batchPaused);
    if (paused.isPresent()) {
      split(work, spans, paused.get());
      return;
    }
    EnrichmentPipeline.Prepared prepared =
        enrichment.prepareBatch(spans, work.context(), work.members(), work.facts());
    int budget = Math.min(worker.maxTokens(), backend.contextWindow());
    if (prepared.promptTokens() + prepared.outputCap() > budget) {
      // Safety net behind the capacity fetch: the exact count says it does not fit here.
      split(
          work,
          spans,
          "batch of "
              + prepared.promptTokens()
              + "+"
              + prepared.outputCap()
              + " tokens exceeds this worker's "
              + budget);
      return;
    }
    LlmResponse response;
    ModelCallGate.Slot slot = gate.enter();
    try (slot) {
      response = backend.complete(request(prepared));
    } catch (PermanentException e) {
      recordFailedCall(work, JobKind.BATCH, spans.size(), slot.millis(), e, prepared);
      split(work, spans, "batch call failed: " + e.oneLine());
      return;
    } catch (RetryableException e) {
      recordFailedCall(work, JobKind.BATCH, spans.size(), slot.millis(), e, prepared);
      throw e;
    }
    List<JobPlan> singles = new ArrayList<>();
    int[] validCount = new int[1];
    db.inTransaction(
        c -> {
          if (completedElsewhere(
              c, work, JobKind.BATCH, spans.size(), response, redactions(prepared))) {
            validCount[0] = -1;
            return;
          }
          EnrichmentPipeline.Outcome outcome =
              enrichment.parseBatch(response.text(), spans, work.facts());
          List<Span> failed = outcome.failed();
          int valid = spans.size() - failed.size();
          validCount[0] = valid;
          CallOutcome callOutcome =
              failed.isEmpty()
                  ? CallOutcome.OK
                  : valid == 0 ? CallOutcome.INVALID : CallOutcome.PARTIAL;
          outcome.storeValid(c, meta(work, JobKind.BATCH));
          LlmCallTable.insert(
              c,
              call(
                  work,
                  JobKind.BATCH,
                  spans.size(),
                  valid,
                  response,
                  callOutcome,
                  outcome.errorSummary(),
                  redactions(prepared)));
          for (Span span : failed) {
            JobPlan single = singleFor(work.job(), span, "fallback from batch");
            if (JobTable.insert(c, single)) {
              singles.add(single);
            }
          }
          JobTable.finish(
              c,
              work.job().id(),
              failed.isEmpty()
                  ? JobStatus.SUCCEEDED
                  : valid == 0 ? JobStatus.SPLIT : JobStatus.PARTIAL,
              failed.isEmpty() ? null : outcome.errorSummary());
        });
    if (validCount[0] < 0) {
      return;
    }
    singles.forEach(s -> enqueuer.submit(s.id()));
    log.info(
        "batch {}: {} of {} spans enriched in {} ms, {} re-enqueued as single",
        work.job().id(),
        validCount[0],
        spans.size(),
        response.wallMillis(),
        singles.size());
  }

  private void runSingle(Work work, Span span) {
    EnrichmentPipeline.Prepared prepared;
    int budget = Math.min(worker.maxTokens(), backend.contextWindow());
    try {
      prepared =
          enrichment.prepareSingle(span, work.context(), work.members(), work.facts(), budget);
    } catch (PermanentException e) {
      failSpan(work, span, e.oneLine(), true, null);
      throw e;
    }
    String fingerprint = enrichment.fingerprint(prepared);
    Optional<String> known = work.knownInvalidAnswer(span, fingerprint);
    if (known.isPresent()) {
      // Greedy decoding answers the same prompt the same way: asking again would only pay for the
      // same invalid note. A change of code, neighbours' notes or model changes the prompt.
      String why = "the model already answered this exact prompt invalidly: " + known.get();
      failSpan(work, span, why, true, fingerprint);
      throw new PermanentException("span " + span.symbol() + ": " + why);
    }
    LlmResponse response;
    ModelCallGate.Slot slot = gate.enter();
    try (slot) {
      response = backend.complete(request(prepared));
    } catch (PermanentException e) {
      recordFailedCall(work, JobKind.SINGLE, 1, slot.millis(), e, prepared);
      failSpan(work, span, e.oneLine(), false, null);
      throw e;
    } catch (RetryableException e) {
      recordFailedCall(work, JobKind.SINGLE, 1, slot.millis(), e, prepared);
      throw e;
    }
    String[] problem = new String[1];
    boolean ok =
        db.inTransaction(
            (Database.TxWork<Boolean>)
                c -> {
                  if (completedElsewhere(
                      c, work, JobKind.SINGLE, 1, response, redactions(prepared))) {
                    return true;
                  }
                  EnrichmentPipeline.Outcome outcome =
                      enrichment.parseSingle(response.text(), span, work.facts(), prepared.notes());
                  boolean valid = outcome.failed().isEmpty();
                  problem[0] = outcome.errorSummary();
                  outcome.storeValid(c, meta(work, JobKind.SINGLE));
                  LlmCallTable.insert(
                      c,
                      call(
                          work,
                          JobKind.SINGLE,
                          1,
                          valid ? 1 : 0,
                          response,
                          valid ? CallOutcome.OK : CallOutcome.INVALID,
                          problem[0],
                          redactions(prepared)));
                  if (valid) {
                    JobTable.finish(c, work.job().id(), JobStatus.SUCCEEDED, null);
                  }
                  return valid;
                });
    if (!ok) {
      failSpan(work, span, problem[0], false, fingerprint);
      throw new PermanentException("span " + span.symbol() + ": " + problem[0]);
    }
  }

  /**
   * True when another run of this job completed it while this one waited for its answer: this
   * worker was cut off from the database (or presumed dead) for longer than JobRunr's orphan
   * timeout and the job went to another worker. The late answer is not stored, so a job completes
   * once and never overwrites the other run's note; the call is recorded (it was paid for) as an
   * error that says why. Locks the job row first, as the claim does, so two runs finishing at once
   * are serialised.
   */
  private boolean completedElsewhere(
      Connection c, Work work, JobKind mode, int spans, LlmResponse response, int secrets)
      throws SQLException {
    Optional<JobTable.Row> row = JobTable.lockForRun(c, work.job().id());
    if (row.isPresent() && !row.get().status().completed()) {
      return false;
    }
    log.warn(
        "job {}: completed by another worker while this one waited for its answer; the late"
            + " answer is discarded",
        work.job().id());
    LlmCallTable.insert(
        c, call(work, mode, spans, 0, response, CallOutcome.ERROR, LATE_ANSWER, secrets));
    return true;
  }

  /**
   * Records the failure with backoff so the planner tries the span again later, not now; a
   * permanent one waits for a change of code or an operator's {@code enqueue --retry-failed}.
   */
  private void failSpan(
      Work work, Span span, String error, boolean permanent, @Nullable String fingerprint) {
    log.warn(
        "{} {}: no valid enrichment ({}); recorded, {}",
        span.path(),
        span.symbol(),
        error,
        permanent ? "not offered again until its code changes" : "offered again after its backoff");
    db.inRedoableTransaction(
        c -> {
          enrichment.recordFailure(c, span, error, permanent, fingerprint);
          JobTable.finish(c, work.job().id(), JobStatus.FAILED, error);
        });
  }

  private void split(Work work, List<Span> spans, String why) {
    List<JobPlan> singles = new ArrayList<>();
    db.inRedoableTransaction(
        c -> {
          for (Span span : spans) {
            JobPlan single = singleFor(work.job(), span, "split: " + why);
            if (JobTable.insert(c, single)) {
              singles.add(single);
            }
          }
          JobTable.finish(c, work.job().id(), JobStatus.SPLIT, why);
        });
    singles.forEach(s -> enqueuer.submit(s.id()));
    log.info("batch {} split into {} single-span jobs: {}", work.job().id(), singles.size(), why);
  }

  private JobPlan singleFor(JobTable.Row job, Span span, String reason) {
    JobPlan.SpanRef ref = new JobPlan.SpanRef(span.id(), span.contentHash());
    return new JobPlan(
        JobPlan.fallbackId(job.id(), ref),
        job.repoId(),
        span.fileId(),
        JobKind.SINGLE,
        List.of(ref),
        // sized as the planner sizes a single: at most a default worker, which cuts the code
        JobSizing.singleJobTokens(span.tokenEstimate()),
        span.tokenEstimate(),
        reason,
        job.id());
  }

  private LlmRequest request(EnrichmentPipeline.Prepared p) {
    return new LlmRequest(
        p.system(), p.user(), p.schema(), p.outputCap(), timeoutFor(p), p.promptTokens());
  }

  /**
   * A deadline that grows with the work: CPU-only machines decode a few tokens per second, so a
   * fixed timeout would either kill honest batches or wait forever on a dead server.
   */
  private Duration timeoutFor(EnrichmentPipeline.Prepared p) {
    double seconds =
        enrichment.timeoutBaseSeconds()
            + p.promptTokens() * enrichment.timeoutSecondsPerPromptToken()
            + p.outputCap() * enrichment.timeoutSecondsPerOutputToken();
    return Duration.ofMillis((long) (seconds * 1000));
  }

  private EnrichmentPipeline.StoreContext meta(Work work, JobKind mode) {
    return new EnrichmentPipeline.StoreContext(
        backend.model(),
        backend.name(),
        work.job().generation(),
        mode,
        worker.name(),
        work.job().id());
  }

  /** Secrets kept out of a prepared prompt (their markers in what is sent). */
  private static int redactions(EnrichmentPipeline.Prepared p) {
    return SecretRedactor.markersIn(p.system()) + SecretRedactor.markersIn(p.user());
  }

  private LlmCallTable.Call call(
      Work work,
      JobKind mode,
      int spans,
      int valid,
      LlmResponse r,
      CallOutcome outcome,
      String error,
      int secretsRedacted) {
    return new LlmCallTable.Call(
        work.job().id(),
        worker.name(),
        backend.name(),
        backend.model(),
        mode,
        spans,
        valid,
        r.promptTokens(),
        r.completionTokens(),
        r.wallMillis(),
        outcome,
        work.firstTry(),
        outcome == CallOutcome.OK ? null : error,
        secretsRedacted);
  }

  /** A call that returned no answer: paid for (time, the prompt's redactions), nothing valid. */
  private void recordFailedCall(
      Work work,
      JobKind mode,
      int spans,
      long callMillis,
      CodeglossException e,
      EnrichmentPipeline.Prepared prepared) {
    recordCall(
        work,
        mode,
        spans,
        0,
        null,
        null,
        callMillis,
        CallOutcome.ERROR,
        e.oneLine(),
        redactions(prepared));
  }

  private void recordCall(
      Work work,
      JobKind mode,
      int spans,
      int valid,
      Integer promptTokens,
      Integer completionTokens,
      long ms,
      CallOutcome outcome,
      String error,
      int secretsRedacted) {
    try {
      db.inRedoableTransaction(
          (Database.TxAction)
              c ->
                  LlmCallTable.insert(
                      c,
                      new LlmCallTable.Call(
                          work.job().id(),
                          worker.name(),
                          backend.name(),
                          backend.model(),
                          mode,
                          spans,
                          valid,
                          promptTokens,
                          completionTokens,
                          ms,
                          outcome,
                          work.firstTry(),
                          error,
                          secretsRedacted)));
    } catch (CodeglossException e) {
      log.warn("could not record a failed LLM call: {}", e.oneLine());
    }
  }
}
