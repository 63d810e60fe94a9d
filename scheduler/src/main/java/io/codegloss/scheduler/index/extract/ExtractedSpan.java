package io.codegloss.scheduler.index.extract;

import io.codegloss.core.span.SpanKind;
import org.jspecify.annotations.Nullable;

/**
 * One span as found in a file, before it has a database id.
 *
 * @param parentIndex index of the enclosing span in the same extraction, or -1
 * @param startLine 1-based, inclusive
 * @param endLine 1-based, inclusive
 * @param startByte UTF-8 byte offset into the file
 * @param endByte UTF-8 byte offset into the file, exclusive
 * @param contentHash sha-256 over the language id and the span's bytes
 */
public record ExtractedSpan(
    String language,
    SpanKind kind,
    String nodeType,
    String name,
    String symbol,
    int parentIndex,
    int startLine,
    int endLine,
    int startByte,
    int endByte,
    @Nullable String signature,
    @Nullable String docHint,
    String code,
    String contentHash,
    int tokenEstimate) {}
