package io.codegloss.scheduler.plan;

import io.codegloss.core.span.SpanKind;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Builds plan spans for example tests: one instance per file. */
final class TestSpans {

  private static final AtomicLong IDS = new AtomicLong(1000);

  private final long fileId;
  private final String path;
  private final String language;

  TestSpans(long fileId, String path, String language) {
    this.fileId = fileId;
    this.path = path;
    this.language = language;
  }

  PlanSpan function(String name, int startLine, int endLine, int tokens) {
    return span(SpanKind.FUNCTION, null, name, startLine, endLine, tokens, SpanContent.WHOLE);
  }

  PlanSpan classSpan(String name, int startLine, int endLine, int tokens, SpanContent content) {
    return span(SpanKind.CLASS, null, name, startLine, endLine, tokens, content);
  }

  PlanSpan method(PlanSpan owner, String name, int startLine, int endLine, int tokens) {
    return span(
        SpanKind.METHOD,
        owner.spanId(),
        owner.symbol() + "." + name,
        startLine,
        endLine,
        tokens,
        SpanContent.WHOLE);
  }

  PlanSpan span(
      SpanKind kind,
      @Nullable Long parentId,
      String symbol,
      int startLine,
      int endLine,
      int tokens,
      SpanContent content) {
    long id = IDS.incrementAndGet();
    return new PlanSpan(
        id,
        fileId,
        path,
        language,
        kind,
        parentId,
        symbol,
        startLine,
        endLine,
        tokens,
        "hash-" + id,
        content);
  }
}
