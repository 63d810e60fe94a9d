package io.codegloss.worker.enrich;

import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Prompts of the {@link io.codegloss.worker.llm.PromptShape#COMPLETION} shape, for base models: a
 * code document whose last line opens a doc comment that the model continues with a summary.
 *
 * <p>A batch covers spans of ONE file. Its shared {@link Batch#prefix()} is a file header comment
 * (the path) and the spans' code as a source file, each span's own docstring or doc comment cut out
 * (by {@link SpanFacts#docLines()}, or found in the code when there are no facts) so that the model
 * cannot copy it. Each span then has its own {@link SpanPrompt#suffix()}: its declaration again
 * followed by an open doc comment in its language's syntax. Every continuation is {@code prefix +
 * suffix} alone: the text one span's continuation produced never precedes another's (the model
 * would copy it). With the embedded backend's prompt cache, consecutive continuations of a batch
 * only pay for their suffix.
 *
 * <p>Languages whose doc comment precedes the declaration (C-style, Go, Rust, C#, Ruby) cannot show
 * the declaration before the open comment; their opener names the symbol instead ({@code /**\n *
 * parseHeader() -}), so the model knows what it describes (see {@link #NAMED_OPENER}).
 */
public final class DocCompletionPrompt {

  /** Part of the enrichment key: bump when a change alters what models write. */
  public static final String VERSION = "doc-completion-1";

  /**
   * The prompt version notes written through this shape are stored under (the chat shape's is
   * {@link io.codegloss.core.enrich.EnrichmentSchema#PROMPT_VERSION}); a change of what this prompt
   * makes a model write bumps it.
   */
  public static final int PROMPT_VERSION = 3;

  /** One span to describe and its analysis facts (null when the language has none). */
  public record Input(Span span, @Nullable SpanFacts facts) {}

  /**
   * One continuation of a batch.
   *
   * @param span the span described
   * @param suffix what follows the batch's prefix: the declaration again and the open doc comment
   * @param lead text the summary starts with that the prompt already wrote (the symbol's name in
   *     Go-style openers), or empty
   * @param stop stop strings for {@link io.codegloss.worker.llm.TextRequest}
   * @param docstring the span's own docstring (from facts or found in the code), hidden from the
   *     prompt; null when it has none
   * @param cutLines lines of the span's code left out to fit the budget (0 when none)
   */
  public record SpanPrompt(
      Span span,
      String suffix,
      String lead,
      List<String> stop,
      @Nullable String docstring,
      int cutLines) {}

  /**
   * @param prefix the shared document head: file header and the batch's code
   * @param spans the continuations, in input order
   * @param deferred inputs that did not fit the token budget; the caller makes another batch
   * @param promptTokens the largest {@code prefix + suffix} of the batch, in counted tokens
   */
  public record Batch(
      String prefix, List<SpanPrompt> spans, List<Input> deferred, int promptTokens) {

    /** The full prompt of continuation {@code i}. */
    public String prompt(int i) {
      return prefix + spans.get(i).suffix();
    }
  }

  /** Comment and doc-comment syntax per language family. */
  enum Syntax {
    PYTHON,
    BLOCK,
    GO,
    RUST,
    CSHARP,
    RUBY;

    static Syntax of(String language) {
      return switch (language.toLowerCase(Locale.ROOT)) {
        case "python" -> PYTHON;
        case "go" -> GO;
        case "rust" -> RUST;
        case "csharp", "c#" -> CSHARP;
        case "ruby" -> RUBY;
        default -> BLOCK; // java, javascript, typescript, tsx, c, cpp
      };
    }

    String lineComment() {
      return this == PYTHON || this == RUBY ? "#" : "//";
    }
  }

  private static final int PY_UNIT = 4;

  /**
   * What follows the name in the opener of a comment-first language. Measured with the base Gemma 3
   * 270M on Java: after {@code /**\n * } (or with the bare name, or the name and a trailing space)
   * it ends the line at once or writes {@code @param} tags; after the name alone it writes the
   * parameter list; after {@code name() -} it writes a summary ("returns true if the string is
   * blank.") for 3 of 3 methods.
   */
  static final String NAMED_OPENER = "() -";

  /**
   * A sentence that ends its line ends the summary: the parser keeps one sentence anyway, and every
   * further line costs decode time (about 41 ms a token for the default model on a CPU).
   */
  public static final String SENTENCE_END = ".\n";

  /** Tokens added per piece for the joins between separately counted texts. */
  private static final int JOIN_MARGIN = 2;

  private DocCompletionPrompt() {}

  /**
   * Builds one batch from spans of one file, taking spans in order while every {@code prefix +
   * suffix} stays within {@code maxPromptTokens}; the rest is {@link Batch#deferred()}. A first
   * span too long on its own is cut by whole lines (a comment line marks the cut).
   *
   * @param countTokens the backend's token counter
   * @param maxPromptTokens the context window minus the output cap
   * @throws IllegalArgumentException when inputs is empty or the spans come from several files
   */
  public static Batch build(
      List<Input> inputs, ToIntFunction<String> countTokens, int maxPromptTokens) {
    return build(inputs, countTokens, maxPromptTokens, false);
  }

  /**
   * As {@link #build(List, ToIntFunction, int)}; with {@code factsComment}, each suffix starts with
   * one comment line of the span's facts (calls, raises, return type) above the declaration.
   */
  public static Batch build(
      List<Input> inputs,
      ToIntFunction<String> countTokens,
      int maxPromptTokens,
      boolean factsComment) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one span");
    }
    String path = inputs.get(0).span().path();
    for (Input in : inputs) {
      if (!in.span().path().equals(path)) {
        throw new IllegalArgumentException(
            "a batch covers one file; got " + path + " and " + in.span().path());
      }
    }
    Syntax syntax = Syntax.of(inputs.get(0).span().language());
    String header = syntax.lineComment() + " " + path + "\n";
    StringBuilder prefix = new StringBuilder(header);
    int prefixTokens = countTokens.applyAsInt(header) + JOIN_MARGIN;
    int maxSuffix = 0;
    List<SpanPrompt> spans = new ArrayList<>();
    List<Input> deferred = new ArrayList<>();
    @Nullable String openClass = null;
    for (int i = 0; i < inputs.size(); i++) {
      Input in = inputs.get(i);
      Prepared p = prepare(in, syntax);
      String classLine = classLine(syntax, in.span(), openClass);
      String block = "\n" + classLine + p.block();
      int blockTokens = countTokens.applyAsInt(block) + JOIN_MARGIN;
      String owner = owner(syntax, in.span());
      // budgeted with its class line, the longest it can be once the prefix's end is known
      String suffix = withFacts(factsComment, syntax, in, p, suffix(syntax, in.span(), p, null));
      int suffixTokens = countTokens.applyAsInt(suffix) + JOIN_MARGIN;
      int after = prefixTokens + blockTokens + Math.max(maxSuffix, suffixTokens);
      int cut = 0;
      if (after > maxPromptTokens) {
        if (!spans.isEmpty()) {
          deferred.addAll(inputs.subList(i, inputs.size()));
          break;
        }
        int room =
            maxPromptTokens - prefixTokens - suffixTokens - countTokens(classLine, countTokens);
        Cut c = cutToFit(p, syntax, room, countTokens);
        if (c == null) {
          deferred.addAll(inputs.subList(i, inputs.size()));
          break;
        }
        block = "\n" + classLine + c.block();
        blockTokens = countTokens.applyAsInt(block) + JOIN_MARGIN;
        cut = c.cutLines();
      }
      prefix.append(block);
      prefixTokens += blockTokens;
      maxSuffix = Math.max(maxSuffix, suffixTokens);
      openClass = owner;
      spans.add(
          new SpanPrompt(
              in.span(), suffix, lead(syntax, in.span()), stop(syntax, p), p.docstring(), cut));
    }
    // every suffix must follow the class context of the prefix's end: rebuild them against it
    List<SpanPrompt> fixed = new ArrayList<>(spans.size());
    maxSuffix = 0;
    for (SpanPrompt sp : spans) {
      Input in = new Input(sp.span(), factsOf(inputs, sp.span()));
      Prepared p = prepare(in, syntax);
      String suffix =
          withFacts(factsComment, syntax, in, p, suffix(syntax, sp.span(), p, openClass));
      fixed.add(
          new SpanPrompt(sp.span(), suffix, sp.lead(), sp.stop(), sp.docstring(), sp.cutLines()));
      maxSuffix = Math.max(maxSuffix, countTokens.applyAsInt(suffix) + JOIN_MARGIN);
    }
    return new Batch(prefix.toString(), fixed, deferred, prefixTokens + maxSuffix);
  }

  private static int countTokens(String s, ToIntFunction<String> count) {
    return s.isEmpty() ? 0 : count.applyAsInt(s);
  }

  private static @Nullable SpanFacts factsOf(List<Input> inputs, Span span) {
    for (Input in : inputs) {
      if (in.span() == span) {
        return in.facts();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- one span's code

  /**
   * A span's code made ready for the document.
   *
   * @param lines the code without its docstring, re-based so the declaration is at column 0
   * @param headerLines how many of {@code lines} are the declaration (Python: up to the colon)
   * @param bodyIndent the indentation of the body relative to the declaration (Python)
   * @param indent what every line gets in the document (a method inside its class)
   */
  record Prepared(
      List<String> lines,
      int headerLines,
      String bodyIndent,
      String indent,
      @Nullable String docstring) {

    String block() {
      return render(lines);
    }

    String render(List<String> ls) {
      StringBuilder b = new StringBuilder();
      for (String l : ls) {
        b.append(l.isBlank() ? "" : indent + l).append('\n');
      }
      return b.toString();
    }
  }

  static Prepared prepare(Input in, Syntax syntax) {
    Span span = in.span();
    List<String> lines =
        new ArrayList<>(List.of(span.code().replace("\r\n", "\n").split("\n", -1)));
    while (lines.size() > 1 && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    String docstring = in.facts() == null ? null : in.facts().docstring();
    SpanFacts.LineRange doc = in.facts() == null ? null : in.facts().docLines();
    int from = -1;
    int to = -1;
    if (doc != null) {
      from = doc.start() - span.startLine();
      to = doc.end() - span.startLine();
      if (from < 1 || to >= lines.size() || to < from) {
        from = -1; // outside the code (a comment before the declaration) or on the header line
      }
    } else if (in.facts() == null || in.facts().docstring() == null) {
      int[] found =
          syntax == Syntax.PYTHON ? pythonDocstring(lines) : leadingComment(lines, syntax);
      if (found != null) {
        from = found[0];
        to = found[1];
        if (docstring == null) {
          docstring = stripMarkers(String.join("\n", lines.subList(from, to + 1)), syntax);
        }
      }
    }
    if (from >= 0) {
      lines.subList(from, to + 1).clear();
    }
    int header = syntax == Syntax.PYTHON ? pythonHeaderEnd(lines) + 1 : 1;
    int column = column(lines, syntax, header);
    List<String> rebased = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      rebased.add(i == 0 ? l.strip() : dedent(l, column));
    }
    String bodyIndent = " ".repeat(PY_UNIT);
    if (syntax == Syntax.PYTHON) {
      boolean emptyBody = true;
      for (int i = header; i < rebased.size(); i++) {
        if (!rebased.get(i).isBlank()) {
          emptyBody = false;
          bodyIndent = leadingWhitespace(rebased.get(i));
          break;
        }
      }
      if (emptyBody) {
        rebased.add(bodyIndent + "pass");
      }
    }
    String indent =
        syntax == Syntax.PYTHON && owner(syntax, span) != null ? " ".repeat(PY_UNIT) : "";
    return new Prepared(rebased, Math.min(header, rebased.size()), bodyIndent, indent, docstring);
  }

  /** The column the declaration had in its file, guessed from the lines after it. */
  private static int column(List<String> lines, Syntax syntax, int header) {
    if (lines.size() < 2) {
      return 0;
    }
    if (syntax == Syntax.PYTHON) {
      for (int i = header; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          int body = leadingWhitespace(lines.get(i)).length();
          return body >= PY_UNIT ? body - PY_UNIT : 0;
        }
      }
      return 0;
    }
    // the closing brace or `end` sits at the declaration's column
    return leadingWhitespace(lines.get(lines.size() - 1)).length();
  }

  private static String dedent(String line, int column) {
    int i = 0;
    while (i < column && i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return line.substring(i);
  }

  private static String leadingWhitespace(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return s.substring(0, i);
  }

  /**
   * Index of the last line of a Python declaration: where brackets close and the line ends in ':'.
   */
  static int pythonHeaderEnd(List<String> lines) {
    int depth = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      int hash = l.indexOf('#');
      String code = hash >= 0 ? l.substring(0, hash) : l;
      for (char c : code.toCharArray()) {
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          depth--;
        }
      }
      if (depth <= 0 && code.strip().endsWith(":")) {
        return i;
      }
    }
    return 0;
  }

  private static final Pattern PY_DOC_OPEN = Pattern.compile("^\\s*[rRuUbB]{0,2}(\"\"\"|'''|\"|')");

  /** The first statement of a Python body when it is a string literal: {first, last} line. */
  static int @Nullable [] pythonDocstring(List<String> lines) {
    int h = pythonHeaderEnd(lines);
    int k = h + 1;
    while (k < lines.size() && lines.get(k).isBlank()) {
      k++;
    }
    if (k >= lines.size()) {
      return null;
    }
    Matcher m = PY_DOC_OPEN.matcher(lines.get(k));
    if (!m.find()) {
      return null;
    }
    String quote = m.group(1);
    String rest = lines.get(k).substring(m.end());
    if (rest.contains(quote)) {
      return new int[] {k, k};
    }
    if (quote.length() == 1) {
      return null; // a one-quote string spanning lines: not a docstring worth handling
    }
    for (int j = k + 1; j < lines.size(); j++) {
      if (lines.get(j).contains(quote)) {
        return new int[] {k, j};
      }
    }
    return null;
  }

  /** A doc comment at the head of the code (when the span's code includes it): {first, last}. */
  static int @Nullable [] leadingComment(List<String> lines, Syntax syntax) {
    if (lines.size() < 2) {
      return null;
    }
    String first = lines.get(0).strip();
    if (first.startsWith("/*")) {
      for (int j = 0; j < lines.size() - 1; j++) {
        if (lines.get(j).contains("*/")) {
          return new int[] {0, j};
        }
      }
      return null;
    }
    String marker = syntax.lineComment();
    if (!first.startsWith(marker)) {
      return null;
    }
    int j = 0;
    while (j + 1 < lines.size() - 1 && lines.get(j + 1).strip().startsWith(marker)) {
      j++;
    }
    return new int[] {0, j};
  }

  /** Comment markers and docstring quotes removed, lines joined by single spaces. */
  static String stripMarkers(String comment, Syntax syntax) {
    StringBuilder b = new StringBuilder();
    for (String l : comment.split("\n")) {
      String s = l.strip();
      s = s.replaceFirst("^[rRuUbB]{0,2}(\"\"\"|''')", "").replaceFirst("(\"\"\"|''')$", "");
      s = s.replaceFirst("^(/\\*\\*?|\\*/|\\*|///?|#)\\s?", "").replaceFirst("\\*/$", "");
      s = s.replace("<summary>", "").replace("</summary>", "").strip();
      if (!s.isEmpty()) {
        b.append(b.length() == 0 ? "" : " ").append(s);
      }
    }
    return b.toString();
  }

  /** Lines kept when a span alone is too long: whole lines from the top, then a marker line. */
  record Cut(String block, int cutLines) {}

  private static @Nullable Cut cutToFit(
      Prepared p, Syntax syntax, int room, ToIntFunction<String> countTokens) {
    List<String> lines = p.lines();
    int keep = lines.size();
    while (keep > p.headerLines()) {
      keep--;
      String marker =
          (syntax == Syntax.PYTHON ? p.bodyIndent() : "  ")
              + syntax.lineComment()
              + " ... ("
              + (lines.size() - keep)
              + " more lines)";
      List<String> kept = new ArrayList<>(lines.subList(0, keep));
      kept.add(marker);
      String block = p.render(kept);
      if (countTokens.applyAsInt(block) + JOIN_MARGIN <= room) {
        return new Cut(block, lines.size() - keep);
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- the open doc comment

  /** The class a Python method belongs to (from its symbol), else null. */
  static @Nullable String owner(Syntax syntax, Span span) {
    if (syntax != Syntax.PYTHON || span.kind() != SpanKind.METHOD) {
      return null;
    }
    String[] parts = span.symbol().split("\\.");
    return parts.length >= 2 ? parts[parts.length - 2] : null;
  }

  private static String classLine(Syntax syntax, Span span, @Nullable String openClass) {
    String owner = owner(syntax, span);
    if (owner == null || owner.equals(openClass)) {
      return "";
    }
    return "class " + owner + ":\n";
  }

  private static String suffix(Syntax syntax, Span span, Prepared p, @Nullable String openClass) {
    String name = span.name();
    return switch (syntax) {
      case PYTHON -> {
        String owner = owner(syntax, span);
        String head = "\n" + classLine(syntax, span, openClass);
        StringBuilder b = new StringBuilder(head);
        for (int i = 0; i < p.headerLines(); i++) {
          b.append(p.indent()).append(p.lines().get(i)).append('\n');
        }
        b.append(owner == null ? "" : p.indent()).append(p.bodyIndent()).append("\"\"\"");
        yield b.toString();
      }
      case BLOCK -> "\n/**\n * " + name + NAMED_OPENER;
      case GO -> "\n// " + name + NAMED_OPENER;
      case RUST -> "\n/// " + name + NAMED_OPENER;
      case CSHARP -> "\n/// <summary>\n/// " + name + NAMED_OPENER;
      case RUBY -> "\n# " + name + NAMED_OPENER;
    };
  }

  /** The suffix with a facts comment inserted before its declaration (or its doc opener). */
  private static String withFacts(
      boolean factsComment, Syntax syntax, Input in, Prepared p, String suffix) {
    String line = factsLine(in.facts());
    if (!factsComment || line == null) {
      return suffix;
    }
    String comment = syntax.lineComment() + " " + line + "\n";
    if (syntax == Syntax.PYTHON) {
      // after the class line, if any, at the declaration's indentation
      String decl = p.indent() + p.lines().get(0);
      int at = suffix.indexOf("\n" + decl);
      return at < 0
          ? suffix
          : suffix.substring(0, at + 1) + p.indent() + comment + suffix.substring(at + 1);
    }
    return "\n" + comment + suffix.substring(1);
  }

  /** "Calls: a, b. Raises: X. Returns: T." from the facts; null when there is nothing to say. */
  static @Nullable String factsLine(@Nullable SpanFacts f) {
    if (f == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    List<String> calls = new ArrayList<>();
    for (SpanFacts.Call c : f.calls()) {
      String n = c.receiver() == null ? c.name() : c.receiver() + "." + c.name();
      if (!calls.contains(n) && calls.size() < 6) {
        calls.add(n);
      }
    }
    if (!calls.isEmpty()) {
      parts.add("Calls: " + String.join(", ", calls) + ".");
    }
    List<String> raises = new ArrayList<>();
    for (SpanFacts.Raise r : f.raises()) {
      if (!raises.contains(r.name())) {
        raises.add(r.name());
      }
    }
    if (!raises.isEmpty()) {
      parts.add("Raises: " + String.join(", ", raises) + ".");
    }
    if (f.returnType() != null) {
      parts.add("Returns: " + f.returnType() + ".");
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  private static String lead(Syntax syntax, Span span) {
    return "";
  }

  private static List<String> stop(Syntax syntax, Prepared p) {
    return switch (syntax) {
      case PYTHON ->
          List.of("\"\"\"", "\n\n", "\n" + p.indent() + p.bodyIndent() + "\n", ">>>", SENTENCE_END);
      case BLOCK -> List.of("*/", "\n\n", "\n *\n", "\n * @", SENTENCE_END);
      case GO -> List.of("\n//\n", "\n\n", "\nfunc ", "\ntype ", SENTENCE_END);
      case RUST -> List.of("\n///\n", "\n\n", "\n#[", "\nfn ", "\npub ", SENTENCE_END);
      case CSHARP -> List.of("</summary>", "\n///\n", "\n\n", SENTENCE_END);
      case RUBY -> List.of("\n#\n", "\n\n", "\ndef ", "\nclass ", SENTENCE_END);
    };
  }
}
