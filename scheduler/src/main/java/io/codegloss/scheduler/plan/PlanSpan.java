package io.codegloss.scheduler.plan;

import io.codegloss.core.span.SpanKind;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A span waiting for enrichment, with what the planner needs to place it in a batch.
 *
 * @param tokens the tokens the prompt will carry for this span's code: {@code spans.token_estimate}
 *     for whole spans, the outline estimate for outlined classes
 * @param contentHash {@code spans.content_hash}, recorded as {@code job_spans.span_hash}
 * @param content whether the span goes whole or, for a class with child spans, as an outline
 */
public record PlanSpan(
    long spanId,
    long fileId,
    String path,
    String language,
    SpanKind kind,
    @Nullable Long parentId,
    String symbol,
    int startLine,
    int endLine,
    int tokens,
    String contentHash,
    SpanContent content) {

  public PlanSpan {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(content, "content");
    if (startLine < 1 || endLine < startLine) {
      throw new IllegalArgumentException(
          "span " + spanId + " has lines " + startLine + "-" + endLine);
    }
    if (tokens < 0) {
      throw new IllegalArgumentException("span " + spanId + " has " + tokens + " tokens");
    }
    if (content == SpanContent.OUTLINE && kind != SpanKind.CLASS) {
      throw new IllegalArgumentException("only class spans are outlined, not span " + spanId);
    }
  }

  /** A span sent whole. */
  public PlanSpan(
      long spanId,
      long fileId,
      String path,
      String language,
      SpanKind kind,
      @Nullable Long parentId,
      String symbol,
      int startLine,
      int endLine,
      int tokens,
      String contentHash) {
    this(
        spanId,
        fileId,
        path,
        language,
        kind,
        parentId,
        symbol,
        startLine,
        endLine,
        tokens,
        contentHash,
        SpanContent.WHOLE);
  }

  public int lineCount() {
    return endLine - startLine + 1;
  }
}
