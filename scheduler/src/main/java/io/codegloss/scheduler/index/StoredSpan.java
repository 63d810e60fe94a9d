package io.codegloss.scheduler.index;

import org.jspecify.annotations.Nullable;

/** A span row as the diff needs it (everything but the code). */
record StoredSpan(
    long id,
    long fileId,
    String kind,
    String nodeType,
    String name,
    String symbol,
    @Nullable Long parentId,
    int startLine,
    int endLine,
    int startByte,
    int endByte,
    @Nullable String signature,
    @Nullable String docHint,
    String contentHash) {}
