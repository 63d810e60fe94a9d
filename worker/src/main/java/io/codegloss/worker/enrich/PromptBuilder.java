package io.codegloss.worker.enrich;

import io.codegloss.core.enrich.EnrichmentExample;
import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.enrich.FactNames;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Builds the chat prompts of {@link EnrichmentSchema#PROMPT_VERSION} 2: facts by analysis, prose by
 * model. Each span's code comes with its facts (parameters with types and defaults, return type,
 * raises, calls out, side-effect candidates, existing docstring) in a few compact lines, and the
 * model is asked only for prose: a summary, pitfalls and one short meaning per listed parameter,
 * return value and side effect. The example item is built from the span's own facts, so a small
 * model sees exactly which names it may write meanings for.
 *
 * <p>The code is shown without line numbers: they were there for evidence, which analysis now
 * supplies, and cost two to three tokens per line. The signature is not repeated as a fact: the
 * code shown always starts with it (a cut keeps the head). Any change to the wording that changes
 * what models write must bump PROMPT_VERSION, since enrichments are keyed by it.
 */
public final class PromptBuilder {

  public static final String SYSTEM = EnrichmentExample.SYSTEM;

  /**
   * A span's code as it goes into a prompt, possibly cut.
   *
   * @param text the code, ending with a marker line when cut
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

  public static Prompt single(Span span, @Nullable SpanFacts facts, List<ContextSpan> context) {
    return single(span, plain(span), facts, context);
  }

  public static Prompt single(
      Span span, FittedCode code, @Nullable SpanFacts facts, List<ContextSpan> context) {
    StringBuilder u = new StringBuilder();
    u.append("Describe this code span.");
    if (facts != null) {
      u.append(' ').append(EnrichmentExample.FACTS_INTRO);
    }
    u.append('\n');
    u.append("File: ").append(span.path()).append(" (").append(span.language()).append(")\n");
    u.append("Span: ")
        .append(span.kind().dbName())
        .append(' ')
        .append(span.symbol())
        .append(", lines ")
        .append(span.startLine())
        .append('-')
        .append(span.endLine())
        .append('\n');
    appendFacts(u, facts, code.text());
    u.append('\n').append(code.text()).append("\n\n");
    appendContext(u, context);
    u.append("Reply with one JSON object like this example (its values say what to write):\n");
    u.append(EnrichmentExample.item(facts).toString()).append("\n\n");
    appendRules(u);
    return new Prompt(SYSTEM, u.toString());
  }

  // ---------------------------------------------------------------- batch

  public static Prompt batch(
      List<Span> spans, Map<Long, SpanFacts> facts, List<ContextSpan> context) {
    return batch(spans, spans.stream().map(PromptBuilder::plain).toList(), facts, context);
  }

  /**
   * The seed's batch prompt: instructions once, each span under {@code === SPAN i: path:start-end
   * (kind symbol) ===} with its facts and code, a request to describe each span in the light of the
   * others, and an {@code {"items":[...]}} answer with {@code span_index}. The example shows span
   * 1's item (built from its facts); the others follow the same pattern with their own facts.
   *
   * @param facts facts by span id; a span without an entry is shown with its code only
   */
  public static Prompt batch(
      List<Span> spans,
      List<FittedCode> codes,
      Map<Long, SpanFacts> facts,
      List<ContextSpan> context) {
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
    u.append(".\n").append(EnrichmentExample.BATCH_RELATION).append('\n');
    if (spans.stream().anyMatch(s -> facts.containsKey(s.id()))) {
      u.append(EnrichmentExample.FACTS_INTRO).append('\n');
    }
    u.append('\n');
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
      appendFacts(u, facts.get(s.id()), codes.get(i).text());
      u.append(codes.get(i).text()).append("\n\n");
    }
    u.append("Reply with one JSON object {\"items\":[...]} holding exactly ")
        .append(n)
        .append(n == 1 ? " item" : " items, one per span,")
        .append(" each with \"span_index\" (1 to ")
        .append(n)
        .append(") and the fields of this example (its values say what to write):\n");
    u.append("{\"items\":[")
        .append(EnrichmentExample.batchItem(1, facts.get(first.id())).toString());
    if (n > 1) {
      u.append(",{\"span_index\":2,...}");
    }
    u.append("]}\n\n");
    appendRules(u);
    return new Prompt(SYSTEM, u.toString());
  }

  // ---------------------------------------------------------------- facts

  /** Most calls a span lists; a long tail of calls costs tokens and tells a summary little. */
  static final int MAX_CALLS = 12;

  /** Longest docstring shown as a fact; the code shown has it whole anyway. */
  static final int MAX_DOCSTRING_CHARS = 200;

  /**
   * The facts as compact lines, one per kind, leaving out what is empty. "returns: nothing" is
   * written out (when there are params or calls to show) because it tells the model to leave
   * outputs empty.
   */
  static void appendFacts(StringBuilder u, @Nullable SpanFacts f, String code) {
    if (f == null) {
      return;
    }
    if (!f.params().isEmpty()) {
      u.append("params: ");
      for (int i = 0; i < f.params().size(); i++) {
        SpanFacts.Param p = f.params().get(i);
        u.append(i == 0 ? "" : ", ").append(p.name());
        if (p.type() != null && !p.type().isBlank()) {
          u.append(": ").append(oneLine(p.type()));
        }
        if (p.defaultValue() != null) {
          u.append(" = ").append(oneLine(p.defaultValue()));
        }
      }
      u.append('\n');
    }
    if (FactNames.returnsValue(f)) {
      u.append("returns: ")
          .append(f.returnType() == null ? "a value" : oneLine(f.returnType()))
          .append('\n');
    } else {
      u.append("returns: nothing\n");
    }
    Set<String> raises = new LinkedHashSet<>();
    f.raises().forEach(r -> raises.add(r.name()));
    if (!raises.isEmpty()) {
      u.append("raises: ").append(String.join(", ", raises)).append('\n');
    }
    Set<String> effectDetails = new LinkedHashSet<>(FactNames.sideEffects(f));
    Set<String> calls = new LinkedHashSet<>();
    for (SpanFacts.Call c : f.calls()) {
      // "raise ValueError(...)" is also a call of ValueError, open(...) also a side effect: the
      // raises and side effects lines already say them.
      String name = c.receiver() == null ? c.name() : c.receiver() + "." + c.name();
      if (!(c.receiver() == null && raises.contains(c.name())) && !effectDetails.contains(name)) {
        calls.add(name);
      }
    }
    if (!calls.isEmpty()) {
      u.append("calls: ").append(String.join(", ", calls.stream().limit(MAX_CALLS).toList()));
      if (calls.size() > MAX_CALLS) {
        u.append(", ...");
      }
      u.append('\n');
    }
    Map<String, String> effects = new LinkedHashMap<>();
    f.sideEffects()
        .forEach(e -> effects.putIfAbsent(e.detail(), e.kind().name().toLowerCase(Locale.ROOT)));
    if (!effects.isEmpty()) {
      u.append("side effects: ");
      boolean firstEffect = true;
      for (Map.Entry<String, String> e : effects.entrySet()) {
        u.append(firstEffect ? "" : ", ")
            .append(e.getKey())
            .append(" (")
            .append(e.getValue())
            .append(')');
        firstEffect = false;
      }
      u.append('\n');
    }
    if (f.docstring() != null && !f.docstring().isBlank() && !shownInCode(f.docstring(), code)) {
      String d = oneLine(f.docstring());
      u.append("docstring: ")
          .append(
              d.length() <= MAX_DOCSTRING_CHARS ? d : d.substring(0, MAX_DOCSTRING_CHARS) + "...")
          .append('\n');
    }
  }

  /**
   * True when the code shown already holds the whole docstring (whitespace folded): it is then not
   * repeated as a fact, which would only cost tokens. A docstring cut away by a class outline or a
   * token-budget cut is still shown.
   */
  private static boolean shownInCode(String docstring, String code) {
    String d = docstring.strip().replaceAll("\\s+", " ");
    return code.replaceAll("\\s+", " ").contains(d);
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

  private static void appendRules(StringBuilder u) {
    u.append("Rules:\n");
    u.append("- summary_120w: ").append(EnrichmentExample.RULE_SUMMARY).append('\n');
    u.append("- ").append(EnrichmentExample.RULE_MEANINGS).append('\n');
    u.append("- ").append(EnrichmentExample.RULE_EMPTY).append('\n');
  }

  private static String oneLine(String s) {
    String t = s.strip().replaceAll("\\s+", " ");
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }

  // ---------------------------------------------------------------- code

  /** The whole code of {@code span}, as written (no line numbers). */
  public static FittedCode plain(Span span) {
    List<String> lines = lines(span.code());
    return new FittedCode(String.join("\n", lines), lines.size(), 0, null);
  }

  public static FittedCode fitCode(Span span, ToIntFunction<String> tokens, int budget) {
    return fitCode(span.code(), span.startLine(), tokens, budget);
  }

  /**
   * Fits code into {@code budget} tokens as counted by {@code tokens}: the whole code when it fits,
   * otherwise as many whole lines from the head as fit together with a marker line that says which
   * lines were cut. Never cuts inside a line, never cuts silently (the result carries a note).
   *
   * @throws PermanentException when not even the first line fits: such a span can never be enriched
   *     with this budget
   */
  public static FittedCode fitCode(
      String code, int startLine, ToIntFunction<String> tokens, int budget) {
    List<String> lines = lines(code);
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

  static List<String> lines(String code) {
    String[] raw = code.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    int count = raw.length;
    if (count > 1 && raw[count - 1].isEmpty()) {
      count--; // a trailing newline does not start another line
    }
    return List.of(raw).subList(0, count);
  }
}
