package io.codegloss.scheduler.plan;

import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.span.SpanKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Cuts pending spans into the jobs to enqueue, by the seed's rules (batch-span-enrichment.md,
 * {@code enrichment_plan}). Pure: no database, no clock, same input same output.
 *
 * <p>For each file on its own (batches never mix files, hence never languages), its spans are
 * sorted by line and split into groups of the same kind: functions with functions, classes with
 * classes, methods only with methods of the same class (same {@code parent_id}). Each group is
 * walked in line order; a span joins the open batch only if
 *
 * <ul>
 *   <li>it is not large ({@link PlanSettings#isLarge}); a large span goes alone,
 *   <li>{@code span.startLine - previous.endLine < RAG_BATCH_MAX_LINE_GAP}, and
 *   <li>the batch's span tokens plus its tokens stay below {@code RAG_BATCH_MAX_TOKENS}, and the
 *       whole job (prompt and output cap, {@link JobSizing#jobTokens}) stays within {@link
 *       JobSizing#DEFAULT_CONTEXT_TOKENS}, so a batch always fits a default worker (both close with
 *       {@link CloseReason#TOKEN_BUDGET}).
 * </ul>
 *
 * Otherwise the batch closes with the matching {@link CloseReason} and the span opens the next one.
 * A batch with fewer than {@code RAG_BATCH_MIN_SIZE} spans is dissolved into single-span jobs
 * ({@link CloseReason#BELOW_MIN_SIZE}); a large span alone keeps {@link CloseReason#LARGE_SPAN}.
 * With {@code RAG_BATCH_ENRICHMENT=off} every span is a single ({@link CloseReason#BATCHING_OFF}).
 *
 * <p>A single span whose job would outgrow {@link PlanSettings#maxJobTokens()} is sized to it
 * ({@link JobSizing#singleJobTokens(int, int)}): a default worker fetches it and cuts its code to
 * fit, recording the cut beside the note, instead of the job waiting for a worker that may never
 * come ({@link PlannedBatch#runsCut()}).
 *
 * <p>Grouping by kind before cutting (rather than closing a batch at every span of another kind, as
 * the seed's sketch does) lets two helper functions on either side of a small class, or the methods
 * of a class on either side of a nested class, still share a batch when they are close enough.
 *
 * <p>Output order: files by path, then batches by their first span's line.
 */
public final class BatchPlanner {

  /** Line order; an enclosing span before the spans it contains. */
  static final Comparator<PlanSpan> LINE_ORDER =
      Comparator.comparingInt(PlanSpan::startLine)
          .thenComparing(Comparator.comparingInt(PlanSpan::endLine).reversed())
          .thenComparingLong(PlanSpan::spanId);

  private final PlanSettings settings;

  public BatchPlanner(PlanSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public PlanSettings settings() {
    return settings;
  }

  /**
   * Every pending span ends up in exactly one batch.
   *
   * @throws IllegalArgumentException if a span id appears twice or a file id comes with two paths
   */
  public List<PlannedBatch> plan(List<PlanSpan> pending) {
    Map<Long, List<PlanSpan>> byFile = new LinkedHashMap<>();
    Set<Long> seen = new HashSet<>();
    for (PlanSpan s : pending) {
      if (!seen.add(s.spanId())) {
        throw new IllegalArgumentException("span " + s.spanId() + " is listed twice");
      }
      List<PlanSpan> ofFile = byFile.computeIfAbsent(s.fileId(), k -> new ArrayList<>());
      if (!ofFile.isEmpty() && !ofFile.get(0).path().equals(s.path())) {
        throw new IllegalArgumentException(
            "file " + s.fileId() + " has two paths: " + ofFile.get(0).path() + ", " + s.path());
      }
      ofFile.add(s);
    }
    List<List<PlanSpan>> files = new ArrayList<>(byFile.values());
    files.sort(
        Comparator.comparing((List<PlanSpan> f) -> f.get(0).path())
            .thenComparingLong(f -> f.get(0).fileId()));
    List<PlannedBatch> batches = new ArrayList<>();
    for (List<PlanSpan> file : files) {
      batches.addAll(planFile(file));
    }
    return List.copyOf(batches);
  }

  private List<PlannedBatch> planFile(List<PlanSpan> spans) {
    List<PlanSpan> sorted = new ArrayList<>(spans);
    sorted.sort(LINE_ORDER);
    List<PlannedBatch> out = new ArrayList<>();
    if (!settings.enabled()) {
      for (PlanSpan s : sorted) {
        out.add(single(s, CloseReason.BATCHING_OFF));
      }
      return out;
    }
    Map<GroupKey, List<PlanSpan>> groups = new LinkedHashMap<>();
    for (PlanSpan s : sorted) {
      groups.computeIfAbsent(GroupKey.of(s), k -> new ArrayList<>()).add(s);
    }
    PlanSpan lastOfFile = sorted.get(sorted.size() - 1);
    for (List<PlanSpan> group : groups.values()) {
      for (PlannedBatch cut : cut(group, lastOfFile)) {
        if (cut.spans().size() >= settings.minSize() || isLargeAlone(cut)) {
          out.add(cut);
        } else {
          for (PlanSpan s : cut.spans()) {
            out.add(single(s, CloseReason.BELOW_MIN_SIZE));
          }
        }
      }
    }
    out.sort(Comparator.comparing(b -> b.spans().get(0), LINE_ORDER));
    return out;
  }

  private List<PlannedBatch> cut(List<PlanSpan> group, PlanSpan lastOfFile) {
    List<PlannedBatch> cuts = new ArrayList<>();
    List<PlanSpan> open = new ArrayList<>();
    long openTokens = 0;
    for (PlanSpan s : group) {
      if (settings.isLarge(s)) {
        if (!open.isEmpty()) {
          cuts.add(batch(open, CloseReason.LARGE_SPAN));
          open = new ArrayList<>();
          openTokens = 0;
        }
        cuts.add(single(s, CloseReason.LARGE_SPAN));
        continue;
      }
      if (!open.isEmpty()) {
        CloseReason reason = closeBefore(open.get(open.size() - 1), openTokens, open.size(), s);
        if (reason != null) {
          cuts.add(batch(open, reason));
          open = new ArrayList<>();
          openTokens = 0;
        }
      }
      open.add(s);
      openTokens += s.tokens();
    }
    if (!open.isEmpty()) {
      PlanSpan last = open.get(open.size() - 1);
      cuts.add(
          batch(open, last.equals(lastOfFile) ? CloseReason.END_OF_FILE : CloseReason.OTHER_KIND));
    }
    return cuts;
  }

  private @Nullable CloseReason closeBefore(
      PlanSpan previous, long openTokens, int openSpans, PlanSpan next) {
    if ((long) next.startLine() - previous.endLine() >= settings.maxLineGap()) {
      return CloseReason.LINE_GAP;
    }
    if (openTokens + next.tokens() >= settings.maxTokens()) {
      return CloseReason.TOKEN_BUDGET;
    }
    if (JobSizing.jobTokens(Math.toIntExact(openTokens + next.tokens()), openSpans + 1)
        > settings.maxJobTokens()) {
      return CloseReason.TOKEN_BUDGET;
    }
    return null;
  }

  private PlannedBatch single(PlanSpan span, CloseReason reason) {
    return batch(List.of(span), reason);
  }

  private PlannedBatch batch(List<PlanSpan> spans, CloseReason reason) {
    return PlannedBatch.of(spans, reason, settings.maxJobTokens());
  }

  private boolean isLargeAlone(PlannedBatch batch) {
    return batch.spans().size() == 1 && settings.isLarge(batch.spans().get(0));
  }

  /** Methods group by class; functions and classes by kind alone. */
  private record GroupKey(SpanKind kind, @Nullable Long parentId) {
    static GroupKey of(PlanSpan s) {
      return new GroupKey(s.kind(), s.kind() == SpanKind.METHOD ? s.parentId() : null);
    }
  }
}
