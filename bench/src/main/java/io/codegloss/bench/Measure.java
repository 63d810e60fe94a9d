package io.codegloss.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.codegloss.core.db.Database;
import io.codegloss.core.store.SpanStates;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
          long[] calls =
              longs(
                  c,
                  "select count(*), coalesce(sum(prompt_tokens), 0),"
                      + " coalesce(sum(completion_tokens), 0), coalesce(sum(wall_ms), 0),"
                      + " count(*) filter (where not first_try) from llm_calls",
                  5);
          long[] jobs =
              longs(
                  c,
                  FIRST_PASS
                      + " select (select count(*) from first_jobs where kind = 'batch'),"
                      + " (select count(*) from first_jobs where kind = 'single'),"
                      + " (select count(*) from jobs where parent_id is not null),"
                      + " (select count(*) from first_job fj"
                      + "   where exists (select 1 from first_calls fc where fc.job_id = fj.job_id)),"
                      + " (select count(*) from first_jobs fj join jobs j on j.id = fj.job_id"
                      + "   where fj.kind = 'batch' and j.last_error like 'batching paused%')",
                  5);
          SpanStates.Counts states = SpanStates.counts(c, null);
          long[] firstTry =
              longs(
                  c,
                  "with first_job as ("
                      + "  select distinct on (js.span_id) js.span_id, j.id as job_id"
                      + "  from job_spans js join jobs j on j.id = js.job_id"
                      + "  order by js.span_id, j.created_at, j.id),"
                      + " first_call as ("
                      + "  select distinct on (job_id) job_id, outcome from llm_calls order by job_id, id)"
                      + " select count(*) from first_job fj"
                      + " join first_call fc on fc.job_id = fj.job_id and fc.outcome in ('ok', 'partial')"
                      + " join enrichments e on e.span_id = fj.span_id and e.job_id = fj.job_id",
                  1);
          int total = (int) states.spans();
          int enriched = (int) states.enriched();
          int failed = (int) states.failed();
          return new Volume(
              total,
              calls[0],
              calls[1],
              calls[2],
              calls[3],
              calls[4],
              (int) jobs[0],
              (int) jobs[1],
              (int) jobs[2],
              enriched,
              (int) firstTry[0],
              failed,
              total - enriched - failed,
              (int) jobs[3],
              (int) jobs[4]);
        });
  }

  /** True when every span has a current note or a failure that will not be retried. */
  static boolean finished(Database db) {
    return db.withConnection(c -> SpanStates.counts(c, null)).unsettled() == 0;
  }

  /** Spans that still have no enrichment (for progress lines). */
  static long[] progress(Database db) {
    return db.withConnection(
        c ->
            longs(
                c,
                "select (select count(*) from spans),"
                    + " (select count(distinct span_id) from enrichments),"
                    + " (select count(*) from llm_calls)",
                3));
  }

  /**
   * The first pass: each span's first job (the earliest job that holds it, as planned) and that
   * job's first call. Everything else is rework: JobRunr retries, single-span jobs split off a
   * batch, spans planned again after a failure.
   */
  static final String FIRST_PASS =
      "with first_job as ("
          + "  select distinct on (js.span_id) js.span_id, j.id as job_id, j.kind"
          + "  from job_spans js join jobs j on j.id = js.job_id"
          + "  order by js.span_id, j.created_at, j.id),"
          + " first_jobs as (select distinct job_id, kind from first_job),"
          + " first_calls as ("
          + "  select distinct on (l.job_id) l.job_id, l.id from llm_calls l"
          + "  join first_jobs f on f.job_id = l.job_id order by l.job_id, l.id)";

  /**
   * One LLM call, for the split of LLM time into prefill and decode.
   *
   * @param rework not a first-pass call (see {@link #FIRST_PASS}): time the first attempt did not
   *     make good
   */
  record CallRow(int promptTokens, int completionTokens, long wallMillis, boolean rework) {}

  static List<CallRow> calls(Database db) {
    return db.withConnection(
        c -> {
          List<CallRow> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      FIRST_PASS
                          + " select coalesce(l.prompt_tokens, 0), coalesce(l.completion_tokens, 0),"
                          + " l.wall_ms, l.id not in (select id from first_calls)"
                          + " from llm_calls l order by l.id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new CallRow(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getBoolean(4)));
            }
          }
          return out;
        });
  }

  /**
   * Why calls did not deliver, most frequent first: each error or invalid item of {@code
   * llm_calls.error} without the span name in front ("summary_120w copies the prompt's example").
   */
  static Map<String, Integer> failureReasons(Database db, int top) {
    return db.withConnection(
        c -> {
          Map<String, Integer> counts = new HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement("select error from llm_calls where error is not null");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              for (String part : rs.getString(1).split("; ")) {
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
   */
  record Timing(
      int jobs,
      double meanQueueWaitMs,
      double p95QueueWaitMs,
      double meanPickupGapMs,
      double firstPickupMs,
      double meanInJobNonLlmMs,
      long llmBusyMs) {}

  /** One JobRunr job's life, from its history. */
  record JobLife(String id, String server, Instant enqueued, Instant started, Instant ended) {}

  static Timing timing(Database db, Instant t0, Instant t1) {
    return db.withConnection(
        c -> {
          List<JobLife> lives = jobLives(c);
          Map<String, Long> llmByJob = new HashMap<>();
          List<long[]> intervals = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select cast(job_id as text), wall_ms, created_at from llm_calls");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String job = rs.getString(1);
              long ms = rs.getLong(2);
              long end = rs.getTimestamp(3).toInstant().toEpochMilli();
              if (job != null) {
                llmByJob.merge(job, ms, Long::sum);
              }
              intervals.add(new long[] {end - ms, end});
            }
          }
          List<Double> waits = new ArrayList<>();
          double nonLlm = 0;
          for (JobLife j : lives) {
            waits.add((double) (j.started().toEpochMilli() - j.enqueued().toEpochMilli()));
            long processing = j.ended().toEpochMilli() - j.started().toEpochMilli();
            nonLlm += Math.max(0, processing - llmByJob.getOrDefault(j.id(), 0L));
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
              unionMillis(intervals, t0.toEpochMilli(), t1.toEpochMilli()));
        });
  }

  /** Every job that reached processing, from the history JobRunr keeps in its JSON. */
  static List<JobLife> jobLives(Connection c) throws SQLException {
    List<JobLife> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("select id, jobasjson from jobrunr_jobs");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        JobLife life = life(rs.getString(1), rs.getString(2));
        if (life != null) {
          out.add(life);
        }
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
    return db.withConnection(
        c -> {
          try (PreparedStatement clear = c.prepareStatement("select pg_stat_clear_snapshot()")) {
            clear.execute();
          }
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select coalesce(active_time, 0) from pg_stat_database"
                          + " where datname = current_database()");
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getDouble(1) : 0.0;
          } catch (SQLException e) {
            return -1.0; // older server: no active_time
          }
        });
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
          try (PreparedStatement ps = c.prepareStatement("select code from spans");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              code += tokens.applyAsInt(rs.getString(1));
            }
          }
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select e.payload::text from enrichments e join spans s on s.id = e.span_id"
                          + " and s.content_hash = e.span_hash");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              output += tokens.applyAsInt(rs.getString(1));
            }
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

  static Quality quality(Database db) {
    return db.withConnection(
        c -> {
          List<CodeFacts.SpanCode> spans = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select id, file_id, parent_id, kind, name, language, start_line, end_line,"
                          + " code from spans order by file_id, start_line, end_line desc");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              spans.add(
                  new CodeFacts.SpanCode(
                      rs.getLong(1),
                      rs.getLong(2),
                      (Long) rs.getObject(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getString(6),
                      rs.getInt(7),
                      rs.getInt(8),
                      rs.getString(9)));
            }
          }
          Map<Long, CodeFacts.SpanCode> byId = new HashMap<>();
          Map<Long, List<CodeFacts.SpanCode>> byFile = new HashMap<>();
          for (CodeFacts.SpanCode s : spans) {
            byId.put(s.id(), s);
            byFile.computeIfAbsent(s.fileId(), k -> new ArrayList<>()).add(s);
          }
          Map<Long, Set<Long>> truth = CodeFacts.relationships(spans);
          Map<Long, Set<Long>> named = new HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement("select from_span_id, to_span_id from span_links");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              named.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
            }
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
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "select e.span_id, e.payload::text, e.dropped_related, e.notes"
                          + " from enrichments e join spans s on s.id = e.span_id"
                          + " and s.content_hash = e.span_hash");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              JsonNode payload;
              try {
                payload = JSON.readTree(rs.getString(2));
              } catch (IOException e) {
                continue;
              }
              relatedKept += payload.path("related_spans").size();
              relatedDropped += rs.getInt(3);
              String notes = rs.getString(4) == null ? "" : rs.getString(4);
              int kept = payload.path("evidence").size();
              evidenceKept += kept + sum(EVIDENCE_CUT, notes, true);
              evidenceOutside +=
                  sum(DROPPED_OUTSIDE, notes, false) + sum(DROPPED_MALFORMED, notes, false);
              CodeFacts.SpanCode span = byId.get(rs.getLong(1));
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

  static long[] longs(Connection c, String sql, int columns) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      long[] out = new long[columns];
      if (rs.next()) {
        for (int i = 0; i < columns; i++) {
          out[i] = rs.getLong(i + 1);
        }
      }
      return out;
    }
  }

  static @Nullable Instant instant(@Nullable Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
