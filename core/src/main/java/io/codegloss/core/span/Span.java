package io.codegloss.core.span;

import org.jspecify.annotations.Nullable;

/**
 * One indexed span as stored in the {@code spans} table. Workers read everything they need from
 * here (including the code), never from disk.
 */
public record Span(
    long id,
    long repoId,
    long fileId,
    String path,
    String language,
    SpanKind kind,
    String name,
    String symbol,
    @Nullable Long parentId,
    int startLine,
    int endLine,
    int startByte,
    int endByte,
    @Nullable String signature,
    @Nullable String docHint,
    String code,
    String contentHash,
    int tokenEstimate) {

  public int lineCount() {
    return endLine - startLine + 1;
  }
}
