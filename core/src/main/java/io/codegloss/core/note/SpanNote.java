package io.codegloss.core.note;

import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.note.ShowResult.ShownSpan;
import io.codegloss.core.note.ShowResult.StoredEnrichment;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.SpanCallTable;
import io.codegloss.core.store.SpanLinkTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A span's note as the MCP server and the dashboard's span page give it: every field with where it
 * came from, so that an agent or a reader can tell what analysis stated from what a model wrote.
 * Built from {@link ShownSpan} (the same read as {@code show}), never from a second query.
 *
 * @param state not_indexed, facts_only, enriched or prose_failed, or null when unknown
 * @param fields the note, facts first (source analysis), then prose (source model or docstring)
 * @param calls what the span calls, in source order; {@code spanId} null when unresolved
 * @param calledBy resolved calls into the span, callers in tests first
 * @param usage a real call site, or null
 * @param code the span's code as stored
 * @param proseNotes how the prose was written when that matters to a reader, e.g. "code cut to
 *     lines 1-412 of 1-980 to fit 7200 tokens" (the model saw only part of the code); null when
 *     there is nothing to say or no prose
 */
public record SpanNote(
    long spanId,
    String path,
    String symbol,
    String kind,
    String language,
    int startLine,
    int endLine,
    @Nullable String state,
    List<Field> fields,
    List<Call> calls,
    List<Call> calledBy,
    ShowResult.@Nullable Usage usage,
    String code,
    @Nullable String proseNotes) {

  /** The source of a fact: analysis of the code, no model involved. */
  public static final String ANALYSIS = "analysis";

  /** The source of prose a model wrote. */
  public static final String MODEL = "model";

  /** The source of a summary that is the span's own docstring. */
  public static final String DOCSTRING = "docstring";

  public SpanNote {
    fields = List.copyOf(fields);
    calls = List.copyOf(calls);
    calledBy = List.copyOf(calledBy);
  }

  /**
   * One field of the note.
   *
   * @param value a string or a list of strings
   * @param source analysis, model or docstring
   * @param model the model that wrote it (source model or docstring), else null
   * @param promptVersion the prompt version it was written with (source model), else null
   * @param stale true when the code changed after the prose was written
   */
  public record Field(
      String name,
      Object value,
      String source,
      @Nullable String model,
      @Nullable Integer promptVersion,
      boolean stale) {}

  /**
   * One call, seen from the span: its callee (for {@code calls}) or its caller (for {@code
   * calledBy}).
   *
   * @param spanId the other span, or null when the call is not resolved to an indexed span
   * @param symbol the other span's symbol, or the called name as written when unresolved
   * @param path the other span's file, or null when unresolved
   * @param startLine the other span's first line, or 0 when unresolved
   * @param line the line of the call (in the caller)
   * @param lineText the caller's source line of the call
   */
  public record Call(
      @Nullable Long spanId,
      String symbol,
      @Nullable String path,
      int startLine,
      int line,
      String lineText) {}

  public static SpanNote of(ShownSpan s) {
    Span span = s.span();
    return new SpanNote(
        span.id(),
        span.path(),
        span.symbol(),
        span.kind().dbName(),
        span.language(),
        span.startLine(),
        span.endLine(),
        s.state(),
        fields(s),
        s.calls().stream().map(SpanNote::callee).toList(),
        s.calledBy().stream().map(SpanNote::caller).toList(),
        s.usage(),
        span.code(),
        s.enrichment() == null ? null : s.enrichment().notes());
  }

  /** The prose summary, or null when no note has one. */
  public @Nullable Field summary() {
    return fields.stream().filter(f -> f.name().equals("summary")).findFirst().orElse(null);
  }

  private static List<Field> fields(ShownSpan s) {
    List<Field> out = new ArrayList<>();
    SpanFacts f = s.facts();
    String signature = f != null && f.signature() != null ? f.signature() : s.span().signature();
    if (signature != null && !signature.isBlank()) {
      out.add(fact("signature", signature.strip().replaceAll("\\s+", " ")));
    }
    if (f != null) {
      if (!f.params().isEmpty()) {
        out.add(fact("parameters", f.params().stream().map(SpanNote::param).toList()));
      }
      if (f.returnType() != null || !f.returnLines().isEmpty()) {
        out.add(
            fact(
                "returns",
                (f.returnType() == null ? "a value" : f.returnType())
                    + (f.returnLines().isEmpty()
                        ? ""
                        : " (lines " + lines(f.returnLines()) + ")")));
      }
      if (!f.raises().isEmpty()) {
        out.add(
            fact(
                "raises",
                f.raises().stream().map(r -> r.name() + " (line " + r.line() + ")").toList()));
      }
      if (!f.sideEffects().isEmpty()) {
        out.add(
            fact(
                "side_effects",
                f.sideEffects().stream()
                    .map(
                        x ->
                            x.kind().name().toLowerCase(Locale.ROOT)
                                + ": "
                                + x.detail()
                                + " (line "
                                + x.line()
                                + ")")
                    .toList()));
      }
      if (f.docstring() != null && !f.docstring().isBlank()) {
        out.add(fact("docstring", f.docstring().strip()));
      }
    }
    StoredEnrichment se = s.enrichment();
    if (se != null) {
      Enrichment e = se.enrichment();
      boolean stale = !se.current();
      if (!e.summary120w().isBlank()) {
        boolean docstring = DOCSTRING.equals(se.summarySource());
        out.add(
            new Field(
                "summary",
                e.summary120w(),
                docstring ? DOCSTRING : MODEL,
                se.model(),
                docstring ? null : se.promptVersion(),
                stale));
      }
      if (!e.pitfalls().isEmpty()) {
        out.add(prose("pitfalls", e.pitfalls(), se, stale));
      }
      List<String> meanings = new ArrayList<>();
      meanings.addAll(e.inputs());
      meanings.addAll(e.outputs());
      meanings.addAll(e.sideEffects());
      if (!meanings.isEmpty()) {
        out.add(prose("meanings", meanings, se, stale));
      }
    }
    return out;
  }

  private static Field fact(String name, Object value) {
    return new Field(name, value, ANALYSIS, null, null, false);
  }

  private static Field prose(String name, Object value, StoredEnrichment se, boolean stale) {
    return new Field(name, value, MODEL, se.model(), se.promptVersion(), stale);
  }

  private static Call callee(SpanCallTable.Shown c) {
    SpanLinkTable.Linked to = c.callee();
    if (to == null) {
      String receiver = c.receiver();
      return new Call(
          null,
          receiver == null ? c.name() : receiver.replaceAll("\\s+", " ") + "." + c.name(),
          null,
          0,
          c.line(),
          c.lineText());
    }
    return new Call(to.spanId(), to.symbol(), to.path(), to.startLine(), c.line(), c.lineText());
  }

  private static Call caller(SpanCallTable.Shown c) {
    SpanLinkTable.Linked from = c.caller();
    return new Call(
        from.spanId(), from.symbol(), from.path(), from.startLine(), c.line(), c.lineText());
  }

  private static String param(SpanFacts.Param p) {
    return p.name()
        + (p.type() == null ? "" : ": " + p.type())
        + (p.defaultValue() == null ? "" : " = " + p.defaultValue());
  }

  private static String lines(List<Integer> lines) {
    return String.join(", ", lines.stream().map(String::valueOf).toList());
  }
}
