package io.codegloss.worker.job;

import io.codegloss.core.db.Database;
import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.SecretRedactor;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.CallOutcome;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobStatus;
import io.codegloss.core.store.JobTable;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SummarySource;
import io.codegloss.worker.enrich.DocCompletionParser;
import io.codegloss.worker.enrich.DocCompletionPrompt;
import io.codegloss.worker.enrich.EnrichmentStore;
import io.codegloss.worker.enrich.StoreMeta;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmResponse;
import io.codegloss.worker.llm.TextRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job on a base model: each span's summary is the continuation of its own doc comment, one prompt
 * per span (the span's code without its docstring, a comment with its facts, then the declaration
 * again with an open doc comment), capped at {@link #OUTPUT_CAP} tokens and stopped at the end of
 * the first sentence.
 *
 * <p>Measured on the default model (bench/README.md, "doc-comment continuation"): one prompt per
 * span with facts was faster and scored higher than a batch's spans as one shared prefix (1.0 s
 * against 1.3 s per span; ROUGE-L 0.275 against 0.196), because each span's code is read once
 * either way and a longer context only slows decoding and invites summaries of a neighbour. A
 * planned batch is still one job: its spans are answered one after the other by the same worker.
 *
 * <p>Its transactions commit without waiting for the disk, as {@link EnrichJobRunner}'s do and for
 * the same reason: JobRunr's synchronous save of the job's end comes after them.
 */
final class DocCompletionRunner {

  private static final Logger log = LoggerFactory.getLogger(DocCompletionRunner.class);

  /** Tokens a one-sentence summary needs; the median continuation was 13 tokens. */
  static final int OUTPUT_CAP = 32;

  /**
   * The most prompt a span gets. Prefill costs ~3 ms a token on a 2-core CPU, so a 700-token span
   * cost 2 s before the first word; a function's head (signature, first statements, facts) is what
   * a one-sentence summary rests on, so longer code is cut by whole lines, with a marker.
   */
  static final int MAX_PROMPT_TOKENS = 384;

  private final Database db;
  private final LlmBackend backend;
  private final ModelCallGate gate;
  private final WorkerIdentity worker;
  private final EnrichmentStore store;
  private final EnrichmentPipeline pipeline;

  DocCompletionRunner(
      Database db,
      LlmBackend backend,
      ModelCallGate gate,
      WorkerIdentity worker,
      EnrichmentStore store,
      EnrichmentPipeline pipeline) {
    this.db = db;
    this.backend = backend;
    this.gate = gate;
    this.worker = worker;
    this.store = store;
    this.pipeline = pipeline;
  }

  /** Writes the summaries of the job's spans; every span ends with a note or a recorded failure. */
  void run(EnrichJobRunner.Work work, Map<Long, SpanFacts> facts) {
    int valid = 0;
    for (Span span : work.spans()) {
      if (summarise(work, span, facts.get(span.id()))) {
        valid++;
      }
    }
    int done = valid;
    JobStatus status =
        done == work.spans().size()
            ? JobStatus.SUCCEEDED
            : done == 0 ? JobStatus.FAILED : JobStatus.PARTIAL;
    db.inTransaction(
        (Database.TxAction)
            c -> {
              if (completedElsewhere(c, work)) {
                return; // its status is the other run's
              }
              JobTable.finish(
                  c,
                  work.job().id(),
                  status,
                  status == JobStatus.SUCCEEDED
                      ? null
                      : (work.spans().size() - done) + " span(s) without a summary");
            });
  }

  /**
   * Locks the job row (before any span, as the claim does) and says whether it is completed; the
   * transaction's commit then does not wait for the disk ({@link JobTable#lockForRun}).
   */
  private static boolean completedElsewhere(Connection c, EnrichJobRunner.Work work)
      throws SQLException {
    Optional<JobTable.Row> row = JobTable.lockForRun(c, work.job().id());
    return row.isEmpty() || row.get().status().completed();
  }

  /** One span: true when its note was stored. */
  private boolean summarise(EnrichJobRunner.Work work, Span span, @Nullable SpanFacts facts) {
    int budget =
        Math.min(
            MAX_PROMPT_TOKENS, Math.min(worker.maxTokens(), backend.contextWindow()) - OUTPUT_CAP);
    DocCompletionPrompt.Batch prompt;
    try {
      prompt =
          DocCompletionPrompt.build(
              List.of(new DocCompletionPrompt.Input(span, facts)),
              backend::countTokens,
              budget,
              true);
    } catch (CodeglossException e) {
      fail(work, span, e.oneLine(), true, null);
      return false;
    }
    if (prompt.spans().isEmpty()) {
      fail(work, span, "the span does not fit a prompt of " + budget + " tokens", true, null);
      return false;
    }
    DocCompletionPrompt.SpanPrompt sp = prompt.spans().get(0);
    String text = prompt.prompt(0);
    String fingerprint =
        SpanFailureTable.promptSha(
            backend.name(), backend.model(), text, String.valueOf(OUTPUT_CAP));
    Optional<String> known = work.knownInvalidAnswer(span, fingerprint);
    if (known.isPresent()) {
      // greedy decoding answers the same prompt the same way: asking again pays for the same
      // refusal
      fail(
          work,
          span,
          "the model already answered this exact prompt invalidly: " + known.get(),
          true,
          fingerprint);
      return false;
    }
    // the span's code and facts were redacted when the job was claimed; count what was cut
    int secrets = SecretRedactor.markersIn(text);
    LlmResponse response;
    ModelCallGate.Slot slot = gate.enter();
    try (slot) {
      response = backend.continueText(new TextRequest(text, OUTPUT_CAP, sp.stop(), timeout(text)));
    } catch (PermanentException e) {
      recordCall(work, 0, null, slot.millis(), CallOutcome.ERROR, e.oneLine(), secrets);
      fail(work, span, e.oneLine(), false, null);
      return false;
    } catch (RetryableException e) {
      recordCall(work, 0, null, slot.millis(), CallOutcome.ERROR, e.oneLine(), secrets);
      throw e;
    }
    DocCompletionParser.Outcome outcome =
        DocCompletionParser.parse(
            response.text(), "length".equals(response.finishReason()), sp, text);
    // Java 17: no pattern switch; the Outcome interface is sealed, so these three are all
    // the model saw only the code's head: whoever reads the note must be able to tell
    List<String> notes =
        sp.cutLines() == 0
            ? List.of()
            : List.of(
                "code cut: its last "
                    + sp.cutLines()
                    + " lines left out to fit a "
                    + budget
                    + "-token prompt");
    if (outcome instanceof DocCompletionParser.Summary s) {
      return store(work, span, response, s.text(), SummarySource.MODEL, secrets, notes);
    }
    if (outcome instanceof DocCompletionParser.SameAsDocstring d) {
      // the summary is the span's own docstring: the cut does not touch what it says
      return store(
          work, span, response, d.docstring(), SummarySource.DOCSTRING, secrets, List.of());
    }
    DocCompletionParser.Refused r = (DocCompletionParser.Refused) outcome;
    String why =
        "summary refused ("
            + r.reason().name().toLowerCase(java.util.Locale.ROOT)
            + "): "
            + r.detail();
    recordCall(work, 0, response, 0, CallOutcome.INVALID, why, secrets);
    fail(work, span, why, false, fingerprint);
    return false;
  }

  private boolean store(
      EnrichJobRunner.Work work,
      Span span,
      LlmResponse response,
      String summary,
      SummarySource source,
      int secrets,
      List<String> notes) {
    Enrichment prose =
        new Enrichment(
            summary, List.of(), List.of(), List.of(), List.of(), null, List.of(), List.of());
    StoreMeta meta =
        new StoreMeta(
            backend.model(),
            backend.name(),
            DocCompletionPrompt.PROMPT_VERSION,
            EnrichmentSchema.SCHEMA_VERSION,
            work.job().generation(),
            work.job().kind(),
            worker.name(),
            work.job().id(),
            notes);
    boolean late =
        db.inTransaction(
            (Database.TxWork<Boolean>)
                c -> {
                  // as EnrichJobRunner: a job completed elsewhere meanwhile keeps that note
                  if (completedElsewhere(c, work)) {
                    LlmCallTable.insert(
                        c,
                        call(
                            work,
                            0,
                            response,
                            CallOutcome.ERROR,
                            EnrichJobRunner.LATE_ANSWER,
                            secrets));
                    return true;
                  }
                  store.store(c, span, prose, meta, source);
                  LlmCallTable.insert(c, call(work, 1, response, CallOutcome.OK, null, secrets));
                  return false;
                });
    if (late) {
      log.warn(
          "job {}: completed by another worker while this one waited for its answer; the late"
              + " answer is discarded",
          work.job().id());
    }
    return true;
  }

  private Duration timeout(String prompt) {
    double seconds =
        pipeline.timeoutBaseSeconds()
            + backend.countTokens(prompt) * pipeline.timeoutSecondsPerPromptToken()
            + OUTPUT_CAP * pipeline.timeoutSecondsPerOutputToken();
    return Duration.ofMillis((long) (seconds * 1000));
  }

  private void fail(
      EnrichJobRunner.Work work,
      Span span,
      String error,
      boolean permanent,
      @Nullable String fingerprint) {
    log.info("{} {}: no summary ({}); recorded", span.path(), span.symbol(), error);
    db.inRedoableTransaction(
        (Database.TxAction)
            c ->
                store
                    .failures()
                    .record(c, span.id(), span.contentHash(), error, permanent, fingerprint));
  }

  /**
   * @param failedCallMillis when there is no response: the call's time from its slot's start (an
   *     answer carries its own)
   */
  private void recordCall(
      EnrichJobRunner.Work work,
      int valid,
      @Nullable LlmResponse response,
      long failedCallMillis,
      CallOutcome outcome,
      String error,
      int secrets) {
    LlmCallTable.Call call =
        response != null
            ? call(work, valid, response, outcome, error, secrets)
            : new LlmCallTable.Call(
                work.job().id(),
                worker.name(),
                backend.name(),
                backend.model(),
                work.job().kind(),
                1,
                valid,
                null,
                null,
                failedCallMillis,
                outcome,
                work.firstTry(),
                error,
                secrets);
    try {
      db.inRedoableTransaction((Database.TxAction) c -> LlmCallTable.insert(c, call));
    } catch (CodeglossException e) {
      log.warn("could not record an LLM call: {}", e.oneLine());
    }
  }

  private LlmCallTable.Call call(
      EnrichJobRunner.Work work,
      int valid,
      LlmResponse r,
      CallOutcome outcome,
      @Nullable String error,
      int secrets) {
    JobKind mode = work.job().kind();
    return new LlmCallTable.Call(
        work.job().id(),
        worker.name(),
        backend.name(),
        backend.model(),
        mode,
        1,
        valid,
        r.promptTokens(),
        r.completionTokens(),
        r.wallMillis(),
        outcome,
        work.firstTry(),
        error,
        secrets);
  }
}
