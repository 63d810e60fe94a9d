package io.codegloss.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.bench.quality.DocstringQuality;
import io.codegloss.bench.quality.Retrieval;
import io.codegloss.core.db.Database;
import io.codegloss.core.db.PgStats;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.queue.CapacityStorageProvider;
import io.codegloss.core.search.SpanSearch;
import io.codegloss.core.store.EnrichmentTable;
import io.codegloss.core.store.JobTable;
import io.codegloss.core.store.LlmCallTable;
import io.codegloss.core.store.SpanFactsTable;
import io.codegloss.core.store.SpanLinkTable;
import io.codegloss.core.store.SpanStates;
import io.codegloss.core.store.SpanTable;
import io.codegloss.core.store.SummarySource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads what one run did from its own database: {@code llm_calls}, {@code jobs}, {@code
 * enrichments}, {@code span_links}, {@code span_failures}, JobRunr's job history and PostgreSQL's
 * own statistics. Every query reads one fresh database that only that run used.
 */
final class Measure {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DROPPED_OUTSIDE =
      Pattern.compile("dropped (\\d+) evidence item\\(s\\) outside");
  private static final Pattern DROPPED_MALFORMED =
      Pattern.compile("dropped (\\d+) malformed evidence");
  private static final Pattern EVIDENCE_CUT = Pattern.compile("evidence cut from (\\d+) to (\\d+)");

  private Measure() {}

  // ---------------------------------------------------------------- volume and validity

  /**
   * Counts of one run.
   *
   * @param firstTryValid spans whose first planned job's first call came back valid for them
   * @param failed spans without an enrichment that have a recorded failure (visible, not lost)
   * @param lost spans with neither an enrichment nor a failure record
   * @param retryCalls calls of jobs run again (JobRunr retries after a transient error)
   * @param fallbackJobs single-span jobs split off a batch (invalid or missing items, splits)
   * @param firstPassSpans spans whose first planned job was sent to the model (a batch split
   *     because batching was paused for the model never is)
   * @param pausedBatches planned batches split without a call because batching was paused
   */
  record Volume(
      int spans,
      long calls,
      long promptTokens,
      long completionTokens,
      long llmMillis,
      long retryCalls,
      int plannedBatches,
      int plannedSingles,
      int fallbackJobs,
      int enriched,
      int firstTryValid,
      int failed,
      int lost,
      int firstPassSpans,
      int pausedBatches) {}

  static Volume volume(Database db) {
    return db.withConnection(
        c -> {
          LlmCallTable.Sums calls = LlmCallTable.sums(c);
          JobTable.FirstPass first = JobTable.firstPass(c);
          SpanStates.Counts states = SpanStates.counts(c, null);
          int total = (int) states.spans();
          int enriched = (int) states.enriched();
          int failed = (int) states.failed();
          return new Volume(
              total,
              calls.calls(),
              calls.promptTokens(),
              calls.completionTokens(),
              calls.wallMs(),
              calls.retries(),
              (int) first.batches(),
              (int) first.singles(),
              (int) first.fallbackJobs(),
              enriched,
              (int) first.spansValidFirstTry(),
              failed,
              total - enriched - failed,
              (int) first.spansCalled(),
              (int) first.pausedBatches());
        });
  }

  /**
   * True when no job is live and every span has a current note or a failure that will not be
   * retried. The bench asks four times a second while the fleet runs: the cheap question goes
   * first, because counting every span's state took 20 ms of the server's CPU per ask on 2,708
   * spans (7 % of a core, taken from the queue being measured).
   */
  static boolean finished(Database db) {
    return db.withConnection(
        c -> !JobTable.anyLive(c) && SpanStates.counts(c, null).unsettled() == 0);
  }

  /** Spans, spans with a current note, and calls so far (for progress lines). */
  static long[] progress(Database db) {
    return db.withConnection(
        c -> {
          SpanStates.Counts states = SpanStates.counts(c, null);
          return new long[] {states.spans(), states.enriched(), LlmCallTable.sums(c).calls()};
        });
  }

  /**
   * One LLM call, for the split of LLM time into prefill and decode.
   *
   * @param rework not a first-pass call (see {@link JobTable#firstPass}): time the first attempt
   *     did not make good
   */
  record CallRow(int promptTokens, int completionTokens, long wallMillis, boolean rework) {}

  static List<CallRow> calls(Database db) {
    return db.withConnection(LlmCallTable::calls).stream()
        .map(l -> new CallRow(l.promptTokens(), l.completionTokens(), l.wallMs(), l.rework()))
        .toList();
  }

  /**
   * Why calls did not deliver, most frequent first: each error or invalid item of {@code
   * llm_calls.error} without the span name in front ("summary_120w copies the prompt's example").
   */
  static Map<String, Integer> failureReasons(Database db, int top) {
    return db.withConnection(
        c -> {
          Map<String, Integer> counts = new HashMap<>();
          for (String error : LlmCallTable.errors(c)) {
            {
              for (String part : error.split("; ")) {
                String reason = part.replaceFirst("^[\\w.<>$]+: ", "").strip();
                if (reason.length() > 120) {
                  reason = reason.substring(0, 120) + "...";
                }
                if (!reason.isEmpty()) {
                  counts.merge(reason, 1, Integer::sum);
                }
              }
            }
          }
          Map<String, Integer> out = new java.util.LinkedHashMap<>();
          counts.entrySet().stream()
              .sorted((a, b) -> b.getValue() - a.getValue())
              .limit(top)
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }

  // ---------------------------------------------------------------- queue timing

  /**
   * Where time goes in the queue.
   *
   * @param jobs JobRunr jobs that ran
   * @param meanQueueWaitMs enqueue to processing start, averaged: includes waiting in line
   * @param p95QueueWaitMs its 95th percentile
   * @param meanPickupGapMs per worker, the time between the end of its previous job and the start
   *     of the next one that was already waiting: the queue's hand-over cost
   * @param firstPickupMs from the first enqueue to the first job's start (poll interval)
   * @param meanInJobNonLlmMs a job's processing time minus its LLM calls: database writes, prompt
   *     building, token counting and parsing
   * @param llmBusyMs time during which at least one LLM call was in flight
   * @param runningMs the jobs' processing times added up
   * @param callMs the model calls' wall times added up: call-slot milliseconds in use
   * @param activeMs from the first job's start to the last job's end: the fleet at work, without
   *     the enqueue before it and the bench's poll for the end after it
   */
  record Timing(
      int jobs,
      double meanQueueWaitMs,
      double p95QueueWaitMs,
      double meanPickupGapMs,
      double firstPickupMs,
      double meanInJobNonLlmMs,
      long llmBusyMs,
      long runningMs,
      long callMs,
      long activeMs) {

    /** Jobs running at once on average while the fleet was at work. */
    double meanRunningJobs() {
      return activeMs <= 0 ? 0 : (double) runningMs / activeMs;
    }

    /** Model calls in flight on average while the fleet was at work. */
    double meanCallsInFlight() {
      return activeMs <= 0 ? 0 : (double) callMs / activeMs;
    }
  }

  /** One JobRunr job's life, from its history. */
  record JobLife(String id, String server, Instant enqueued, Instant started, Instant ended) {}

  static Timing timing(Database db, Instant t0, Instant t1) {
    return db.withConnection(
        c -> {
          List<JobLife> lives = jobLives(c);
          Map<String, Long> llmByJob = new HashMap<>();
          List<long[]> intervals = new ArrayList<>();
          long callMs = 0;
          for (LlmCallTable.Timed call : LlmCallTable.calls(c)) {
            callMs += call.wallMs();
            long end = call.endedAt().toEpochMilli();
            if (call.jobId() != null) {
              llmByJob.merge(call.jobId(), call.wallMs(), Long::sum);
            }
            intervals.add(new long[] {end - call.wallMs(), end});
          }
          List<Double> waits = new ArrayList<>();
          double nonLlm = 0;
          long running = 0;
          long firstStart = Long.MAX_VALUE;
          long lastEnd = Long.MIN_VALUE;
          for (JobLife j : lives) {
            waits.add((double) (j.started().toEpochMilli() - j.enqueued().toEpochMilli()));
            long processing = j.ended().toEpochMilli() - j.started().toEpochMilli();
            nonLlm += Math.max(0, processing - llmByJob.getOrDefault(j.id(), 0L));
            running += processing;
            firstStart = Math.min(firstStart, j.started().toEpochMilli());
            lastEnd = Math.max(lastEnd, j.ended().toEpochMilli());
          }
          Map<String, List<JobLife>> byServer = new HashMap<>();
          for (JobLife j : lives) {
            byServer.computeIfAbsent(j.server(), k -> new ArrayList<>()).add(j);
          }
          double gaps = 0;
          int gapCount = 0;
          for (List<JobLife> ofServer : byServer.values()) {
            ofServer.sort((a, b) -> a.started().compareTo(b.started()));
            for (int i = 1; i < ofServer.size(); i++) {
              long freeAt = ofServer.get(i - 1).ended().toEpochMilli();
              long readyAt = Math.max(freeAt, ofServer.get(i).enqueued().toEpochMilli());
              long gap = ofServer.get(i).started().toEpochMilli() - readyAt;
              if (gap >= 0) {
                gaps += gap;
                gapCount++;
              }
            }
          }
          double first =
              lives.stream().mapToLong(j -> j.started().toEpochMilli()).min().stream()
                  .mapToDouble(s -> s - t0.toEpochMilli())
                  .findFirst()
                  .orElse(0);
          return new Timing(
              lives.size(),
              mean(waits),
              percentile(waits, 0.95),
              gapCount == 0 ? 0 : gaps / gapCount,
              first,
              lives.isEmpty() ? 0 : nonLlm / lives.size(),
              unionMillis(intervals, t0.toEpochMilli(), t1.toEpochMilli()),
              running,
              callMs,
              lives.isEmpty() ? 0 : lastEnd - firstStart);
        });
  }

  /** Every job that reached processing, from the history JobRunr keeps in its JSON. */
  static List<JobLife> jobLives(Connection c) throws SQLException {
    List<JobLife> out = new ArrayList<>();
    for (CapacityStorageProvider.JobJson job : CapacityStorageProvider.allJobJson(c)) {
      JobLife life = life(job.id(), job.json());
      if (life != null) {
        out.add(life);
      }
    }
    return out;
  }

  /**
   * The last enqueue before the last processing start, that start, and the end state after it.
   * Retried jobs count from their last attempt; the earlier attempts show up as LLM time.
   */
  static @Nullable JobLife life(String id, String json) {
    JsonNode history;
    try {
      history = JSON.readTree(json).path("jobHistory");
    } catch (IOException e) {
      return null;
    }
    Instant enqueued = null;
    Instant started = null;
    Instant ended = null;
    String server = "?";
    for (JsonNode state : history) {
      String name = state.path("state").asText("");
      Instant at = instant(state.path("createdAt"));
      if (at == null) {
        continue;
      }
      switch (name) {
        case "ENQUEUED" -> {
          enqueued = at;
          started = null;
          ended = null;
        }
        case "PROCESSING" -> {
          started = at;
          ended = null;
          server = state.path("serverName").asText(state.path("serverId").asText("?"));
        }
        case "SUCCEEDED", "FAILED", "DELETED" -> {
          if (started != null) {
            ended = at;
          }
        }
        default -> {}
      }
    }
    if (enqueued == null || started == null || ended == null) {
      return null;
    }
    return new JobLife(id, server, enqueued, started, ended);
  }

  private static @Nullable Instant instant(JsonNode n) {
    if (n.isTextual()) {
      try {
        return Instant.parse(n.asText());
      } catch (RuntimeException e) {
        return null;
      }
    }
    if (n.isNumber()) {
      double seconds = n.asDouble();
      long whole = (long) Math.floor(seconds);
      return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9));
    }
    return null;
  }

  /** Milliseconds within [from, to] covered by at least one interval. */
  static long unionMillis(List<long[]> intervals, long from, long to) {
    List<long[]> sorted = new ArrayList<>();
    for (long[] i : intervals) {
      long a = Math.max(i[0], from);
      long b = Math.min(i[1], to);
      if (b > a) {
        sorted.add(new long[] {a, b});
      }
    }
    sorted.sort((x, y) -> Long.compare(x[0], y[0]));
    long total = 0;
    long curStart = -1;
    long curEnd = -1;
    for (long[] i : sorted) {
      if (i[0] > curEnd) {
        total += curEnd - curStart;
        curStart = i[0];
        curEnd = i[1];
      } else {
        curEnd = Math.max(curEnd, i[1]);
      }
    }
    total += curEnd - curStart;
    return total;
  }

  /**
   * Milliseconds PostgreSQL spent executing statements in this database (PostgreSQL 14+), read
   * until two readings a moment apart agree: sessions report their statistics asynchronously.
   */
  static double dbActiveMillis(Database db) {
    double last = readActiveMillis(db);
    for (int i = 0; i < 8 && last >= 0; i++) {
      Runner.pause(java.time.Duration.ofMillis(600));
      double now = readActiveMillis(db);
      if (now == last) {
        break;
      }
      last = now;
    }
    return last;
  }

  private static double readActiveMillis(Database db) {
    return db.withConnection(PgStats::activeMillis);
  }

  // ---------------------------------------------------------------- cost against the floor

  /**
   * Tokens processed per span against the floor: the span's own code plus the enrichment written
   * for it, which any strategy has to read and write once.
   *
   * @param codeTokens tokens of the spans' code (model tokenizer when exact, else the estimate)
   * @param outputTokens tokens of the stored enrichments (same tokenizer)
   * @param exact whether the model's own tokenizer counted them
   */
  record Cost(
      long codeTokens,
      long outputTokens,
      double floorPerSpan,
      double processedPerSpan,
      double timesFloor,
      boolean exact) {}

  static Cost cost(Database db, Volume v, ToIntFunction<String> tokens, boolean exact) {
    return db.withConnection(
        c -> {
          long code = 0;
          long output = 0;
          for (SpanTable.Code s : SpanTable.allCode(c)) {
            code += tokens.applyAsInt(s.code());
          }
          for (EnrichmentTable.CurrentPayload e : EnrichmentTable.currentPayloads(c)) {
            output += tokens.applyAsInt(e.payload());
          }
          int spans = Math.max(1, v.spans());
          double floor = (double) (code + output) / spans;
          double processed = (double) (v.promptTokens() + v.completionTokens()) / spans;
          return new Cost(
              code, output, floor, processed, floor == 0 ? 0 : processed / floor, exact);
        });
  }

  // ---------------------------------------------------------------- quality

  /**
   * Quality without a judge model (see {@link CodeFacts} for the rules).
   *
   * @param spansWithRelations spans whose true related set is not empty
   * @param trueRelations pairs in the true sets (directed: a span and one of its related spans)
   * @param namedRelations related spans the enrichments name that resolved to a span
   * @param namedTrue named relations that are in the true set
   * @param relatedKept related names stored (they exist in the index)
   * @param relatedDropped related names the validator dropped (not in the index, or the span
   *     itself)
   * @param evidenceKept evidence ranges inside their span (stored)
   * @param evidenceOutside evidence ranges outside their span or malformed (dropped)
   */
  record Quality(
      int spansWithRelations,
      long trueRelations,
      long namedRelations,
      long namedTrue,
      double relationshipRecall,
      double relationshipPrecision,
      long relatedKept,
      long relatedDropped,
      double existenceRatio,
      long evidenceKept,
      long evidenceOutside,
      double evidenceInsideRatio,
      int withParameters,
      int inputsListed,
      double inputsCompleteness,
      int returning,
      int outputsListed,
      double outputsCompleteness,
      int withSideEffects,
      int sideEffectsListed,
      double sideEffectsCompleteness) {}

  /**
   * {@code --quality docstrings}: every span whose facts hold a docstring, with its model prose (a
   * summary the docstring supplied is not the model's and counts as missing).
   */
  static DocstringQuality.Scores docstrings(Database db) {
    return db.withConnection(
        c -> {
          List<SpanTable.Code> spans = SpanTable.allCode(c);
          Map<Long, SpanFacts> facts =
              SpanFactsTable.read(c, spans.stream().map(SpanTable.Code::id).toList());
          Map<Long, String> prose = new HashMap<>();
          for (EnrichmentTable.CurrentSummary s : EnrichmentTable.currentSummaries(c)) {
            if (s.source() == SummarySource.MODEL) {
              prose.put(s.spanId(), s.summary());
            }
          }
          List<DocstringQuality.Case> cases = new ArrayList<>();
          for (SpanTable.Code s : spans) {
            SpanFacts f = facts.get(s.id());
            if (f != null && f.docstring() != null && !f.docstring().isBlank()) {
              cases.add(new DocstringQuality.Case(s.name(), f.docstring(), prose.get(s.id())));
            }
          }
          return DocstringQuality.score(cases);
        });
  }

  /**
   * {@code --quality retrieval}: every documented function and method, searched for by its
   * docstring's first sentence over the layer sets of {@link Retrieval}.
   */
  static Retrieval.Scores retrieval(Database db) {
    List<Retrieval.Case> cases =
        db.withConnection(
            c -> {
              List<SpanTable.Code> spans = SpanTable.allCode(c);
              Map<Long, SpanFacts> facts =
                  SpanFactsTable.read(c, spans.stream().map(SpanTable.Code::id).toList());
              List<Retrieval.Case> out = new ArrayList<>();
              for (SpanTable.Code s : spans) {
                SpanFacts f = facts.get(s.id());
                if (s.kind().equals("class")
                    || f == null
                    || f.docstring() == null
                    || f.docstring().isBlank()) {
                  continue;
                }
                out.add(new Retrieval.Case(s.id(), f.docstring()));
              }
              return out;
            });
    return Retrieval.score(new SpanSearch(db), cases);
  }

  static Quality quality(Database db) {
    return db.withConnection(
        c -> {
          List<CodeFacts.SpanCode> spans = new ArrayList<>();
          for (SpanTable.Code s : SpanTable.allCode(c)) {
            spans.add(
                new CodeFacts.SpanCode(
                    s.id(),
                    s.fileId(),
                    s.parentId(),
                    s.kind(),
                    s.name(),
                    s.language(),
                    s.startLine(),
                    s.endLine(),
                    s.code()));
          }
          // the analysis walks each file's spans in line order, outer spans first
          spans.sort(
              java.util.Comparator.comparingLong(CodeFacts.SpanCode::fileId)
                  .thenComparingInt(CodeFacts.SpanCode::startLine)
                  .thenComparing(
                      java.util.Comparator.comparingInt(CodeFacts.SpanCode::endLine).reversed()));
          Map<Long, CodeFacts.SpanCode> byId = new HashMap<>();
          Map<Long, List<CodeFacts.SpanCode>> byFile = new HashMap<>();
          for (CodeFacts.SpanCode s : spans) {
            byId.put(s.id(), s);
            byFile.computeIfAbsent(s.fileId(), k -> new ArrayList<>()).add(s);
          }
          Map<Long, Set<Long>> truth = CodeFacts.relationships(spans);
          Map<Long, Set<Long>> named = new HashMap<>();
          for (long[] link : SpanLinkTable.all(c)) {
            named.computeIfAbsent(link[0], k -> new HashSet<>()).add(link[1]);
          }
          int withRelations = 0;
          long trueCount = 0;
          long namedCount = 0;
          long namedTrue = 0;
          for (CodeFacts.SpanCode s : spans) {
            Set<Long> t = truth.getOrDefault(s.id(), Set.of());
            if (!t.isEmpty()) {
              withRelations++;
            }
            trueCount += t.size();
            for (long to : named.getOrDefault(s.id(), Set.of())) {
              CodeFacts.SpanCode target = byId.get(to);
              if (target != null && CodeFacts.nested(s, target)) {
                continue; // structure, neither true nor false
              }
              namedCount++;
              if (t.contains(to)) {
                namedTrue++;
              }
            }
          }

          long relatedKept = 0;
          long relatedDropped = 0;
          long evidenceKept = 0;
          long evidenceOutside = 0;
          int withParameters = 0;
          int inputsListed = 0;
          int returning = 0;
          int outputsListed = 0;
          int withSideEffects = 0;
          int sideEffectsListed = 0;
          for (EnrichmentTable.CurrentPayload note : EnrichmentTable.currentPayloads(c)) {
            {
              JsonNode payload;
              try {
                payload = JSON.readTree(note.payload());
              } catch (IOException e) {
                continue;
              }
              relatedKept += payload.path("related_spans").size();
              relatedDropped += note.droppedRelated();
              String notes = note.notes() == null ? "" : note.notes();
              int kept = payload.path("evidence").size();
              evidenceKept += kept + sum(EVIDENCE_CUT, notes, true);
              evidenceOutside +=
                  sum(DROPPED_OUTSIDE, notes, false) + sum(DROPPED_MALFORMED, notes, false);
              CodeFacts.SpanCode span = byId.get(note.spanId());
              if (span == null) {
                continue;
              }
              CodeFacts.Facts facts = CodeFacts.facts(span, byFile.get(span.fileId()));
              if (facts == null) {
                continue;
              }
              if (facts.hasParameters()) {
                withParameters++;
                inputsListed += payload.path("inputs").isEmpty() ? 0 : 1;
              }
              if (facts.returnsValue()) {
                returning++;
                outputsListed += payload.path("outputs").isEmpty() ? 0 : 1;
              }
              if (facts.sideEffects()) {
                withSideEffects++;
                sideEffectsListed += payload.path("side_effects").isEmpty() ? 0 : 1;
              }
            }
          }
          return new Quality(
              withRelations,
              trueCount,
              namedCount,
              namedTrue,
              ratio(namedTrue, trueCount),
              ratio(namedTrue, namedCount),
              relatedKept,
              relatedDropped,
              ratio(relatedKept, relatedKept + relatedDropped),
              evidenceKept,
              evidenceOutside,
              ratio(evidenceKept, evidenceKept + evidenceOutside),
              withParameters,
              inputsListed,
              ratio(inputsListed, withParameters),
              returning,
              outputsListed,
              ratio(outputsListed, returning),
              withSideEffects,
              sideEffectsListed,
              ratio(sideEffectsListed, withSideEffects));
        });
  }

  /** Sum of the first group of every match; for "cut from X to Y" the X - Y cut entries. */
  private static long sum(Pattern p, String notes, boolean cutDifference) {
    long total = 0;
    Matcher m = p.matcher(notes);
    while (m.find()) {
      total +=
          cutDifference
              ? Long.parseLong(m.group(1)) - Long.parseLong(m.group(2))
              : Long.parseLong(m.group(1));
    }
    return total;
  }

  // ---------------------------------------------------------------- helpers

  static double ratio(double a, double b) {
    return b == 0 ? 0.0 : a / b;
  }

  static double mean(List<Double> xs) {
    return xs.isEmpty() ? 0 : xs.stream().mapToDouble(Double::doubleValue).sum() / xs.size();
  }

  static double percentile(List<Double> xs, double p) {
    if (xs.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
