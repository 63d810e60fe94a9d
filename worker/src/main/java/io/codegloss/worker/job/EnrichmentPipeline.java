package io.codegloss.worker.job;

import io.codegloss.core.config.Settings;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.SpanFailureTable;
import io.codegloss.core.store.SpanTable;
import io.codegloss.worker.enrich.BatchParseResult;
import io.codegloss.worker.enrich.BatchParser;
import io.codegloss.worker.enrich.EnrichmentStore;
import io.codegloss.worker.enrich.Prompt;
import io.codegloss.worker.enrich.PromptBuilder;
import io.codegloss.worker.enrich.PromptBuilder.ContextSpan;
import io.codegloss.worker.enrich.PromptBuilder.FittedCode;
import io.codegloss.worker.enrich.SingleParser;
import io.codegloss.worker.enrich.SpanOutcome;
import io.codegloss.worker.enrich.StoreMeta;
import io.codegloss.worker.llm.LlmBackend;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Prompts, sizing, parsing and storage for one backend, as the job runner needs them. The sizes
 * come from {@link JobSizing}, the same numbers the planner stored in {@code jobs.tokens}, so the
 * worker's exact re-check and the scheduler's estimate agree on what a job is.
 */
public final class EnrichmentPipeline {

  /** A prompt ready to send, with its exact size. */
  record Prepared(
      String system,
      String user,
      String schema,
      int promptTokens,
      int outputCap,
      List<String> notes) {}

  /** Where and by whom an enrichment is stored. */
  record StoreContext(
      String model, String backend, int generation, JobKind mode, String worker, UUID jobId) {}

  /** The parse of one answer: what validated, what did not, and how to store the first part. */
  static final class Outcome {
    private final List<SpanOutcome> outcomes;
    private final String errorSummary;
    private final List<String> callNotes;
    private final EnrichmentStore store;

    Outcome(
        List<SpanOutcome> outcomes,
        String errorSummary,
        List<String> callNotes,
        EnrichmentStore store) {
      this.outcomes = outcomes;
      this.errorSummary = errorSummary;
      this.callNotes = callNotes;
      this.store = store;
    }

    List<Span> failed() {
      return outcomes.stream()
          .filter(o -> !(o instanceof SpanOutcome.Valid))
          .map(SpanOutcome::span)
          .toList();
    }

    String errorSummary() {
      return errorSummary;
    }

    void storeValid(Connection c, StoreContext ctx) throws SQLException {
      StoreMeta meta =
          StoreMeta.of(
                  ctx.model(),
                  ctx.backend(),
                  ctx.generation(),
                  ctx.mode(),
                  ctx.worker(),
                  ctx.jobId())
              .withNotes(callNotes);
      for (SpanOutcome o : outcomes) {
        if (o instanceof SpanOutcome.Valid v) {
          store.store(c, v, meta);
        }
      }
    }
  }

  private final LlmBackend backend;
  private final EnrichmentStore store;
  private final double timeoutBase;
  private final double perPromptToken;
  private final double perOutputToken;
  private final BatchPause batchPause;

  EnrichmentPipeline(
      LlmBackend backend,
      EnrichmentStore store,
      double timeoutBase,
      double perPromptToken,
      double perOutputToken,
      BatchPause batchPause) {
    this.backend = backend;
    this.store = store;
    this.timeoutBase = timeoutBase;
    this.perPromptToken = perPromptToken;
    this.perOutputToken = perOutputToken;
    this.batchPause = batchPause;
  }

  /** The pipeline a worker with these settings runs (see {@link WorkerSettings}). */
  public static EnrichmentPipeline create(LlmBackend backend, Settings settings) {
    return Workers.pipeline(backend, WorkerSettings.from(settings));
  }

  /** Why this backend's model gets no batches now ({@link BatchPause}), or empty. */
  Optional<String> batchPaused(Connection c) throws SQLException {
    return batchPause.reason(c, backend.name(), backend.model());
  }

  EnrichmentStore store() {
    return store;
  }

  double timeoutBaseSeconds() {
    return timeoutBase;
  }

  double timeoutSecondsPerPromptToken() {
    return perPromptToken;
  }

  double timeoutSecondsPerOutputToken() {
    return perOutputToken;
  }

  /**
   * @param facts the spans' facts by span id; a span without an entry is prompted without facts
   */
  Prepared prepareBatch(
      List<Span> spans,
      List<SpanTable.Neighbour> neighbours,
      Map<Long, List<SpanTable.Member>> members,
      Map<Long, SpanFacts> facts) {
    List<FittedCode> codes =
        spans.stream().map(s -> code(s, members.getOrDefault(s.id(), List.of()))).toList();
    Prompt p = PromptBuilder.batch(spans, codes, facts, context(neighbours));
    int outputCap = JobSizing.outputCap(spans.size());
    return new Prepared(
        p.system(), p.user(), EnrichmentSchema.batch(spans.size()), count(p), outputCap, List.of());
  }

  /**
   * A single-span prompt that fits {@code budget}: when the whole code does not, it is cut by whole
   * lines with a note stored beside the enrichment (never silently).
   *
   * @param facts the span's facts by span id; no entry means the prompt carries none
   */
  Prepared prepareSingle(
      Span span,
      List<SpanTable.Neighbour> neighbours,
      Map<Long, List<SpanTable.Member>> members,
      Map<Long, SpanFacts> facts,
      int budget) {
    SpanFacts own = facts.get(span.id());
    int outputCap = JobSizing.outputCap(1);
    List<ContextSpan> context = context(neighbours);
    FittedCode code = code(span, members.getOrDefault(span.id(), List.of()));
    Prompt whole = PromptBuilder.single(span, code, own, context);
    int tokens = count(whole);
    List<String> notes = new ArrayList<>();
    if (tokens + outputCap > budget) {
      // Drop the optional context first, then cut the code to what is left.
      Prompt bare = PromptBuilder.single(span, own, List.of());
      int overhead = count(bare) - backend.countTokens(PromptBuilder.plain(span).text());
      int codeBudget = budget - outputCap - overhead;
      FittedCode fitted;
      while (true) {
        fitted = PromptBuilder.fitCode(span, backend::countTokens, codeBudget);
        whole = PromptBuilder.single(span, fitted, own, List.of());
        tokens = count(whole);
        // Tokens of a text are not the sum of its parts' tokens (a cut moves the boundaries), so
        // the fitted prompt is counted whole and cut further by what it is over, if anything.
        int over = tokens + outputCap - budget;
        if (over <= 0) {
          break;
        }
        codeBudget -= over;
      }
      if (fitted.note() != null) {
        notes.add(fitted.note());
      }
    }
    return new Prepared(
        whole.system(), whole.user(), EnrichmentSchema.single(), tokens, outputCap, notes);
  }

  /**
   * @param facts the facts the prompt carried, so that meanings are checked against them
   */
  Outcome parseBatch(String text, List<Span> spans, Map<Long, SpanFacts> facts) {
    BatchParseResult r = BatchParser.parse(text, spans, facts);
    List<String> notes = new ArrayList<>();
    if (r.note() != null) {
      notes.add(r.note());
    }
    return new Outcome(r.outcomes(), summarize(r.outcomes(), r.failure()), notes, store);
  }

  /**
   * @param facts the facts the prompt carried, so that meanings are checked against them
   */
  Outcome parseSingle(String text, Span span, Map<Long, SpanFacts> facts, List<String> notes) {
    SpanOutcome o = SingleParser.parse(text, span, facts.get(span.id()));
    return new Outcome(List.of(o), summarize(List.of(o), null), notes, store);
  }

  /**
   * Records that {@code span} got no valid note.
   *
   * @param promptSha {@link #fingerprint} of the prompt whose answer was invalid, else null
   */
  void recordFailure(
      Connection c, Span span, String error, boolean permanent, @Nullable String promptSha)
      throws SQLException {
    store.failures().record(c, span.id(), span.contentHash(), error, permanent, promptSha);
  }

  /**
   * What decides a greedy model's answer to {@code p}: every backend decodes at temperature 0 with
   * a fixed seed, so the same fingerprint gets the same answer.
   */
  String fingerprint(Prepared p) {
    return SpanFailureTable.promptSha(
        backend.name(),
        backend.model(),
        p.system(),
        p.user(),
        p.schema(),
        Integer.toString(p.outputCap()));
  }

  private static String summarize(List<SpanOutcome> outcomes, String failure) {
    if (failure != null) {
      return failure;
    }
    return outcomes.stream()
        .map(EnrichmentPipeline::problem)
        .filter(s -> s != null)
        .collect(Collectors.joining("; "));
  }

  private static String problem(SpanOutcome o) {
    if (o instanceof SpanOutcome.Invalid i) {
      return i.span().symbol() + ": " + i.reason();
    }
    if (o instanceof SpanOutcome.Missing m) {
      return m.span().symbol() + ": " + m.reason();
    }
    return null;
  }

  /**
   * The code as the model sees it: as written; for a class whose members are spans of their own, an
   * outline that keeps each member's first line and marks its body as left out.
   */
  static FittedCode code(Span span, List<SpanTable.Member> members) {
    if (members.isEmpty()) {
      return PromptBuilder.plain(span);
    }
    String[] lines = span.code().split("\n", -1);
    List<String> out = new ArrayList<>();
    int cut = 0;
    int i = 0;
    while (i < lines.length) {
      int line = span.startLine() + i;
      SpanTable.Member m = memberStartingAt(members, line);
      if (m != null && m.endLine() > line) {
        out.add(lines[i]);
        int last = Math.min(m.endLine(), span.endLine());
        out.add(indent(lines[i]) + "    ... (body of " + m.symbol() + ", described separately)");
        cut += last - line;
        i += last - line + 1;
      } else {
        if (!(i == lines.length - 1 && lines[i].isEmpty())) {
          out.add(lines[i]);
        }
        i++;
      }
    }
    return new FittedCode(String.join("\n", out), out.size(), cut, null);
  }

  private static String indent(String line) {
    int i = 0;
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return line.substring(0, i);
  }

  private static SpanTable.Member memberStartingAt(List<SpanTable.Member> members, int line) {
    for (SpanTable.Member m : members) {
      if (m.startLine() == line) {
        return m;
      }
    }
    return null;
  }

  /** As the backend checks it against its context: both turns and the chat template's framing. */
  private int count(Prompt p) {
    return backend.chatPromptTokens(p.system(), p.user());
  }

  private static List<ContextSpan> context(List<SpanTable.Neighbour> neighbours) {
    return neighbours.stream()
        .map(
            n ->
                new ContextSpan(
                    n.kind(), n.symbol(), n.startLine(), n.startLine(), n.signature(), n.summary()))
        .toList();
  }
}
