package io.codegloss.worker.enrich;

import io.codegloss.core.enrich.EnrichmentExample;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Builds the prompts of {@link EnrichmentSchema#PROMPT_VERSION} 1. They are short and concrete so
 * that a 270M model can follow them: what to describe, the line-numbered code (absolute file line
 * numbers, which evidence must use), a tiny example of the JSON shape whose values say what to
 * write, and four rules. Any change to the wording that changes what models write must bump
 * PROMPT_VERSION, since enrichments are keyed by it.
 */
public final class PromptBuilder {

  public static final String SYSTEM = EnrichmentExample.SYSTEM;

  /**
   * A span's code as it goes into a prompt: line-numbered, possibly cut.
   *
   * @param text the line-numbered code ({@code 12| code}), ending with a marker line when cut
   * @param keptLines lines of code shown
   * @param cutLines lines of code left out at the end (0 when nothing was cut)
   * @param note one sentence for the enrichment's notes when something was cut, else null
   */
  public record FittedCode(String text, int keptLines, int cutLines, @Nullable String note) {}

  /**
   * A read-only neighbour shown for context and not to be enriched, e.g. the former batch-mates of
   * the one span of a file that changed.
   */
  public record ContextSpan(
      SpanKind kind,
      String symbol,
      int startLine,
      int endLine,
      @Nullable String signature,
      @Nullable String summary) {

    public static ContextSpan of(Span span, @Nullable String summary) {
      return new ContextSpan(
          span.kind(), span.symbol(), span.startLine(), span.endLine(), span.signature(), summary);
    }
  }

  private PromptBuilder() {}

  // ---------------------------------------------------------------- single

  public static Prompt single(Span span, List<ContextSpan> context) {
    return single(span, numbered(span), context);
  }

  public static Prompt single(Span span, FittedCode code, List<ContextSpan> context) {
    StringBuilder u = new StringBuilder();
    u.append("Describe this code span.\n");
    u.append("File: ").append(span.path()).append(" (").append(span.language()).append(")\n");
    u.append("Span: ")
        .append(span.kind().dbName())
        .append(' ')
        .append(span.symbol())
        .append(", lines ")
        .append(span.startLine())
        .append('-')
        .append(span.endLine())
        .append("\n\n");
    u.append(code.text()).append("\n\n");
    appendContext(u, context);
    u.append("Reply with one JSON object like this example (its values say what to write):\n");
    u.append(EnrichmentExample.item(span.startLine(), span.endLine()).toString()).append("\n\n");
    appendRules(
        u, "the line numbers shown above (" + span.startLine() + "-" + span.endLine() + ")");
    return new Prompt(SYSTEM, u.toString());
  }

  // ---------------------------------------------------------------- batch

  public static Prompt batch(List<Span> spans, List<ContextSpan> context) {
    return batch(spans, spans.stream().map(PromptBuilder::numbered).toList(), context);
  }

  /**
   * The seed's batch prompt: instructions once, each span under {@code === SPAN i: path:start-end
   * (kind symbol) ===}, a request to describe each span in the light of the others, and an {@code
   * {"items":[...]}} answer with {@code span_index}.
   */
  public static Prompt batch(List<Span> spans, List<FittedCode> codes, List<ContextSpan> context) {
    if (spans.isEmpty() || spans.size() != codes.size()) {
      throw new IllegalArgumentException(
          "a batch needs one code per span, got " + spans.size() + " spans and " + codes.size());
    }
    int n = spans.size();
    Span first = spans.get(0);
    boolean oneFile = spans.stream().allMatch(s -> s.path().equals(first.path()));
    StringBuilder u = new StringBuilder();
    u.append("Describe each of these ").append(n).append(" related code spans");
    if (oneFile) {
      u.append(" from ").append(first.path()).append(" (").append(first.language()).append(')');
    }
    u.append(".\n").append(EnrichmentExample.BATCH_RELATION).append("\n\n");
    appendContext(u, context);
    for (int i = 0; i < n; i++) {
      Span s = spans.get(i);
      u.append("=== SPAN ")
          .append(i + 1)
          .append(": ")
          .append(s.path())
          .append(':')
          .append(s.startLine())
          .append('-')
          .append(s.endLine())
          .append(" (")
          .append(s.kind().dbName())
          .append(' ')
          .append(s.symbol())
          .append(") ===\n");
      u.append(codes.get(i).text()).append("\n\n");
    }
    u.append("Reply with one JSON object {\"items\":[...]} holding exactly ")
        .append(n)
        .append(n == 1 ? " item" : " items, one per span,")
        .append(" each with \"span_index\" (1 to ")
        .append(n)
        .append(") and the fields of this example (its values say what to write):\n");
    u.append("{\"items\":[")
        .append(EnrichmentExample.batchItem(1, first.startLine(), first.endLine()).toString());
    if (n > 1) {
      u.append(",{\"span_index\":2,...}");
    }
    u.append("]}\n\n");
    appendRules(u, "the line numbers shown for that span");
    return new Prompt(SYSTEM, u.toString());
  }

  private static void appendContext(StringBuilder u, List<ContextSpan> context) {
    if (context.isEmpty()) {
      return;
    }
    u.append("CONTEXT: nearby code for reference only. Do not describe these:\n");
    for (ContextSpan c : context) {
      u.append("- ")
          .append(c.kind().dbName())
          .append(' ')
          .append(c.symbol())
          .append(", lines ")
          .append(c.startLine())
          .append('-')
          .append(c.endLine());
      if (c.signature() != null && !c.signature().isBlank()) {
        u.append(": ").append(oneLine(c.signature()));
      }
      if (c.summary() != null && !c.summary().isBlank()) {
        u.append(" -- ").append(oneLine(c.summary()));
      }
      u.append('\n');
    }
    u.append('\n');
  }

  private static void appendRules(StringBuilder u, String lines) {
    u.append("Rules:\n");
    u.append("- summary_120w: ").append(EnrichmentExample.RULE_SUMMARY).append('\n');
    u.append("- evidence lines: ").append(lines).append(".\n");
    u.append("- related_spans: ").append(EnrichmentExample.RULE_RELATED).append('\n');
    u.append("- ").append(EnrichmentExample.RULE_EMPTY).append('\n');
  }

  private static String oneLine(String s) {
    String t = s.strip().replaceAll("\\s+", " ");
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }

  // ---------------------------------------------------------------- code

  /** The whole code of {@code span}, line-numbered with absolute file line numbers. */
  public static FittedCode numbered(Span span) {
    List<String> lines = numberedLines(span.code(), span.startLine());
    return new FittedCode(String.join("\n", lines), lines.size(), 0, null);
  }

  public static FittedCode fitCode(Span span, ToIntFunction<String> tokens, int budget) {
    return fitCode(span.code(), span.startLine(), tokens, budget);
  }

  /**
   * Fits line-numbered code into {@code budget} tokens as counted by {@code tokens}: the whole code
   * when it fits, otherwise as many whole lines from the head as fit together with a marker line
   * that says which lines were cut. Never cuts inside a line, never cuts silently (the result
   * carries a note).
   *
   * @throws PermanentException when not even the first line fits: such a span can never be enriched
   *     with this budget
   */
  public static FittedCode fitCode(
      String code, int startLine, ToIntFunction<String> tokens, int budget) {
    List<String> lines = numberedLines(code, startLine);
    String full = String.join("\n", lines);
    if (tokens.applyAsInt(full) <= budget) {
      return new FittedCode(full, lines.size(), 0, null);
    }
    int n = lines.size();
    int lo = 1;
    int hi = n - 1;
    int best = 0;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (tokens.applyAsInt(cut(lines, mid, startLine)) <= budget) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    int lastLine = startLine + n - 1;
    if (best == 0) {
      throw new PermanentException(
          "code at lines "
              + startLine
              + "-"
              + lastLine
              + " does not fit "
              + budget
              + " tokens even cut to its first line");
    }
    int lastKept = startLine + best - 1;
    String note =
        "code cut to lines "
            + startLine
            + "-"
            + lastKept
            + " of "
            + startLine
            + "-"
            + lastLine
            + " ("
            + (n - best)
            + " lines left out) to fit "
            + budget
            + " tokens";
    return new FittedCode(cut(lines, best, startLine), best, n - best, note);
  }

  private static String cut(List<String> lines, int keep, int startLine) {
    int n = lines.size();
    int firstCut = startLine + keep;
    int lastCut = startLine + n - 1;
    return String.join("\n", lines.subList(0, keep))
        + "\n... ["
        + (n - keep)
        + " more lines, "
        + firstCut
        + "-"
        + lastCut
        + ", cut to fit the token budget]";
  }

  static List<String> numberedLines(String code, int startLine) {
    String[] raw = code.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    int count = raw.length;
    if (count > 1 && raw[count - 1].isEmpty()) {
      count--; // a trailing newline does not start another line
    }
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add((startLine + i) + "| " + raw[i]);
    }
    return out;
  }
}
