package io.codegloss.worker.enrich;

import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.Evidence;
import io.codegloss.core.span.Span;
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
 * @param matchedBy symbol, name, file, file_line, or none
 * @param spans the matches, in file order
 */
public record ShowResult(String query, String matchedBy, List<ShownSpan> spans) {

  public ShowResult {
    spans = List.copyOf(spans);
  }

  /**
   * @param span the span
   * @param enrichment its newest current enrichment (any model), else its newest stale one, else
   *     null
   * @param relatesTo spans it names in related_spans (links from it, for the shown model)
   * @param relatedFrom spans whose related_spans name it (links to it, any model)
   */
  public record ShownSpan(
      Span span,
      @Nullable StoredEnrichment enrichment,
      List<SpanLinkTable.Linked> relatesTo,
      List<SpanLinkTable.Linked> relatedFrom) {}

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
    StoredEnrichment se = s.enrichment();
    if (se == null) {
      b.append("  (not enriched yet)\n");
    } else {
      Enrichment e = se.enrichment();
      if (!se.current()) {
        b.append("  (stale: the code changed after this note was written)\n");
      }
      b.append('\n');
      wrap(b, e.summary120w(), "  ", 98);
      b.append('\n');
      field(b, "Inputs", e.inputs());
      field(b, "Outputs", e.outputs());
      field(b, "Side effects", e.sideEffects());
      field(b, "Pitfalls", e.pitfalls());
      if (e.usageSnippet() != null) {
        field(b, "Usage", List.of(e.usageSnippet()));
      }
      if (!e.evidence().isEmpty()) {
        field(
            b,
            "Evidence",
            List.of(e.evidence().stream().map(EvidenceText::of).collect(Collectors.joining("; "))));
      }
    }
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

  private static final class EvidenceText {
    static String of(Evidence x) {
      return x.field()
          + " "
          + (x.startLine() == x.endLine() ? x.startLine() : x.startLine() + "-" + x.endLine());
    }
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
