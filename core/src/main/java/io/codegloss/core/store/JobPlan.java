package io.codegloss.core.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One job to enqueue: a batch of spans of one file, or a single span.
 *
 * @param id deterministic, so that planning and enqueueing twice never doubles work
 * @param repoId the repository
 * @param fileId the file all spans belong to
 * @param kind a batch of spans or one span
 * @param spans the spans in prompt order (span_index = position + 1)
 * @param tokens prompt plus output cap, the size a worker must accept
 * @param spanTokens tokens of the spans' code alone
 * @param reason why the planner closed this batch (or why a single was split off)
 * @param parentId the batch this single-span job came from, if any
 * @param priority interactive jobs are fetched before bulk ones; a job split off a batch takes the
 *     batch's priority when that is higher
 */
public record JobPlan(
    UUID id,
    long repoId,
    @Nullable Long fileId,
    JobKind kind,
    List<SpanRef> spans,
    int tokens,
    int spanTokens,
    String reason,
    @Nullable UUID parentId,
    JobPriority priority) {

  /** A span and the content hash it had when planned: a job never enriches a newer version. */
  public record SpanRef(long spanId, String spanHash) {}

  public JobPlan {
    spans = List.copyOf(spans);
    Objects.requireNonNull(priority, "priority");
  }

  /** A bulk job (or a split-off single, which inherits its batch's priority when stored). */
  public JobPlan(
      UUID id,
      long repoId,
      @Nullable Long fileId,
      JobKind kind,
      List<SpanRef> spans,
      int tokens,
      int spanTokens,
      String reason,
      @Nullable UUID parentId) {
    this(id, repoId, fileId, kind, spans, tokens, spanTokens, reason, parentId, JobPriority.BULK);
  }

  /**
   * The id of a planned job: the same spans, hashes, generation and retry round give the same id.
   *
   * @param round bumps when spans come back after a failure backoff, so a new job is made for them
   */
  public static UUID plannedId(JobKind kind, int generation, int round, List<SpanRef> spans) {
    StringBuilder key =
        new StringBuilder(kind.db()).append('|').append(generation).append('|').append(round);
    for (SpanRef s : spans) {
      key.append('|').append(s.spanId()).append(':').append(s.spanHash());
    }
    return UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The id of the single-span job a batch falls back to for one of its spans. */
  public static UUID fallbackId(UUID parentId, SpanRef span) {
    String key = "fallback|" + parentId + "|" + span.spanId() + ":" + span.spanHash();
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
  }
}
