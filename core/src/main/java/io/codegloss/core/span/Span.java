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

  /**
   * This span as a prompt may show it: secrets cut out of its code, signature and doc hint ({@link
   * SecretRedactor}), everything else as stored.
   */
  public Span forPrompt() {
    String c = SecretRedactor.redact(code).text();
    String sig = signature == null ? null : SecretRedactor.redact(signature).text();
    String doc = docHint == null ? null : SecretRedactor.redact(docHint).text();
    if (c.equals(code)
        && java.util.Objects.equals(sig, signature)
        && java.util.Objects.equals(doc, docHint)) {
      return this;
    }
    return new Span(
        id,
        repoId,
        fileId,
        path,
        language,
        kind,
        name,
        symbol,
        parentId,
        startLine,
        endLine,
        startByte,
        endByte,
        sig,
        doc,
        c,
        contentHash,
        tokenEstimate);
  }
}
