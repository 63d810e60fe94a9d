package io.codegloss.worker.enrich;

import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Spans and facts the way the indexer and the analysis make them, for prompt tests. */
final class DocSpans {

  private DocSpans() {}

  static Span span(
      String path,
      String language,
      SpanKind kind,
      String symbol,
      int startLine,
      @Nullable String signature,
      String code) {
    String name = symbol.substring(symbol.lastIndexOf('.') + 1);
    int lines = (int) code.chars().filter(c -> c == '\n').count() + 1;
    return new Span(
        startLine,
        1,
        1,
        path,
        language,
        kind,
        name,
        symbol,
        null,
        startLine,
        startLine + lines - 1,
        0,
        code.length(),
        signature,
        null,
        code,
        "h" + startLine,
        code.length() / 3);
  }

  static SpanFacts facts(@Nullable String docstring, int docFrom, int docTo) {
    return new SpanFacts(
        null,
        List.of(),
        null,
        List.of(),
        List.of(),
        docstring,
        docstring == null ? null : new SpanFacts.LineRange(docFrom, docTo),
        List.of(),
        List.of());
  }

  /** About four characters per token, like code in Gemma's tokenizer. */
  static int tokens(String s) {
    return (s.length() + 3) / 4;
  }
}
