package io.codegloss.core.note;

import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.SpanCallTable;
import io.codegloss.core.store.SpanLinkTable;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What {@code ./codegloss show SYMBOL | FILE[:LINE]} shows: the matching spans, each with its
 * current enrichment and its related spans both ways. Plain records (strings, no Optional or
 * Instant) so that {@code --json} serialises them as they are.
 *
 * @param query what the user typed
 * @param matchedBy symbol, name, file, file_line, id, or none
 * @param spans the matches, in file order
 */
public record ShowResult(String query, String matchedBy, List<ShownSpan> spans) {

  public ShowResult {
    spans = List.copyOf(spans);
  }

  /**
   * A span's note: facts (source: analysis) and prose (source: the model, or the docstring).
   *
   * @param span the span
   * @param state not_indexed, facts_only, enriched or prose_failed ({@code span_state})
   * @param facts what analysis read from the code, or null when not computed
   * @param enrichment its newest current prose (any model), else its newest stale one, else null
   * @param calls what it calls, resolved to spans where analysis could tell
   * @param calledBy resolved calls into it, callers in tests first
   * @param usage a real call site, from {@code calledBy}, or null
   * @param relatesTo spans a chat model's note named (links from it, for the shown model)
   * @param relatedFrom spans whose notes name it (links to it, any model)
   */
  public record ShownSpan(
      Span span,
      @Nullable String state,
      @Nullable SpanFacts facts,
      @Nullable StoredEnrichment enrichment,
      List<SpanCallTable.Shown> calls,
      List<SpanCallTable.Shown> calledBy,
      @Nullable Usage usage,
      List<SpanLinkTable.Linked> relatesTo,
      List<SpanLinkTable.Linked> relatedFrom) {}

  /** A usage example taken from a real call site: the calling line and where it is. */
  public record Usage(String path, int line, String code) {}

  /**
   * @param current false when the code changed after the note was written
   * @param createdAt ISO-8601
   */
  public record StoredEnrichment(
      String model,
      String backend,
      int promptVersion,
      int schemaVersion,
      String mode,
      boolean current,
      String createdAt,
      @Nullable String notes,
      int droppedRelated,
      String summarySource,
      Enrichment enrichment) {}

  public boolean isEmpty() {
    return spans.isEmpty();
  }

  /** Readable text for a terminal, about 100 columns wide. */
  public String render() {
    if (spans.isEmpty()) {
      return "no span matches '" + query + "'\n";
    }
    StringBuilder b = new StringBuilder();
    for (ShownSpan s : spans) {
      if (b.length() > 0) {
        b.append('\n');
      }
      render(b, s);
    }
    return b.toString();
  }

  private static void render(StringBuilder b, ShownSpan s) {
    Span span = s.span();
    b.append(span.path())
        .append(':')
        .append(span.startLine())
        .append('-')
        .append(span.endLine())
        .append("  ")
        .append(span.kind().dbName())
        .append(' ')
        .append(span.symbol())
        .append("  (")
        .append(span.language())
        .append(")\n");
    if (span.signature() != null && !span.signature().isBlank()) {
      b.append("  ").append(span.signature().strip().replaceAll("\\s+", " ")).append('\n');
    }
    b.append("  state: ").append(s.state() == null ? "unknown" : s.state()).append('\n');
    StoredEnrichment se = s.enrichment();
    if (se != null) {
      Enrichment e = se.enrichment();
      if (!se.current()) {
        b.append("  (stale: the code changed after this note was written)\n");
      }
      b.append('\n');
      wrap(b, e.summary120w(), "  ", 98);
      b.append("  [")
          .append(
              se.summarySource().equals("docstring")
                  ? "docstring"
                  : "model " + se.model() + ", prompt v" + se.promptVersion())
          .append("]\n\n");
    }
    SpanFacts f = s.facts();
    if (f != null) {
      if (f.docstring() != null
          && (se == null || !f.docstring().equals(se.enrichment().summary120w()))) {
        field(b, "Docstring", List.of(firstLine(f.docstring())));
      }
      field(b, "Parameters", f.params().stream().map(ShowResult::param).toList());
      if (f.returnType() != null || !f.returnLines().isEmpty()) {
        field(
            b,
            "Returns",
            List.of(
                (f.returnType() == null ? "a value" : f.returnType())
                    + (f.returnLines().isEmpty() ? "" : " (lines " + join(f.returnLines()) + ")")));
      }
      field(
          b,
          "Raises",
          f.raises().stream().map(r -> r.name() + " (line " + r.line() + ")").toList());
      field(
          b,
          "Side effects",
          f.sideEffects().stream()
              .map(
                  x ->
                      x.kind().name().toLowerCase(java.util.Locale.ROOT)
                          + ": "
                          + x.detail()
                          + " (line "
                          + x.line()
                          + ")")
              .toList());
    }
    field(b, "Calls", s.calls().stream().map(ShowResult::callee).distinct().toList());
    field(
        b,
        "Called by",
        s.calledBy().stream().map(x -> x.caller().label() + " line " + x.line()).toList());
    if (s.usage() != null) {
      field(
          b,
          "Usage",
          List.of(s.usage().code() + "   (" + s.usage().path() + ":" + s.usage().line() + ")"));
    }
    if (se != null) {
      Enrichment e = se.enrichment();
      field(b, "Pitfalls", e.pitfalls());
      field(b, "Meanings", concat(e.inputs(), e.outputs(), e.sideEffects()));
    }
    b.append("  [facts: analysis]\n");
    field(b, "Relates to", s.relatesTo().stream().map(SpanLinkTable.Linked::label).toList());
    field(b, "Related from", s.relatedFrom().stream().map(SpanLinkTable.Linked::label).toList());
    if (se != null) {
      b.append("  -- ")
          .append(se.model())
          .append(" via ")
          .append(se.backend())
          .append(", ")
          .append(se.mode())
          .append(", prompt v")
          .append(se.promptVersion())
          .append(", ")
          .append(se.createdAt());
      if (se.notes() != null) {
        b.append("; notes: ").append(se.notes());
      }
      b.append('\n');
    }
  }

  private static String param(SpanFacts.Param p) {
    return p.name()
        + (p.type() == null ? "" : ": " + p.type())
        + (p.defaultValue() == null ? "" : " = " + p.defaultValue());
  }

  private static String callee(SpanCallTable.Shown c) {
    if (c.callee() != null) {
      return c.callee().label();
    }
    String receiver = c.receiver();
    if (receiver == null) {
      return c.name();
    }
    // a receiver can be a whole call with its arguments: keep its shape, not its text
    receiver = receiver.replaceAll("\\s+", " ").replaceAll("\\(.*\\)", "(...)");
    if (receiver.length() > 40) {
      receiver = receiver.substring(0, 37) + "...";
    }
    return receiver + "." + c.name();
  }

  private static String join(List<Integer> lines) {
    return lines.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new java.util.ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return all;
  }

  private static String firstLine(String text) {
    String s = text.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " ...";
  }

  private static void field(StringBuilder b, String label, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    String pad = " ".repeat(16);
    String head = "  " + label + ":";
    b.append(head).append(" ".repeat(Math.max(1, 16 - head.length())));
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(pad);
      }
      b.append(values.get(i).strip().replace("\n", "\n" + pad)).append('\n');
    }
  }

  private static void wrap(StringBuilder b, String text, String indent, int width) {
    int col = 0;
    b.append(indent);
    col = indent.length();
    for (String word : text.strip().split("\\s+")) {
      if (col > indent.length() && col + 1 + word.length() > width) {
        b.append('\n').append(indent);
        col = indent.length();
      } else if (col > indent.length()) {
        b.append(' ');
        col++;
      }
      b.append(word);
      col += word.length();
    }
    b.append('\n');
  }
}
