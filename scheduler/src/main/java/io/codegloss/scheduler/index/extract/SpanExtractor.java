package io.codegloss.scheduler.index.extract;

import io.codegloss.core.error.PermanentException;
import io.codegloss.core.span.SpanKind;
import io.codegloss.core.span.TokenEstimate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSQuery;
import org.treesitter.TSQueryCapture;
import org.treesitter.TSQueryCursor;
import org.treesitter.TSQueryMatch;
import org.treesitter.TSTree;

/**
 * Finds the spans (functions, methods, classes) of one file with tree-sitter and a tags-style query
 * per language. A tree-sitter parser must not be shared between threads: each indexing thread owns
 * one extractor.
 */
public final class SpanExtractor implements AutoCloseable {

  /** Longest signature and doc hint kept; both are hints for a prompt, not documentation. */
  static final int MAX_HINT_CHARS = 300;

  /**
   * Definitions nested deeper than this are not spans of their own (they stay inside their
   * ancestors' code). Real code nests a handful of levels; without a cap a generated or hostile
   * file of 10,000 nested functions made 10,000 spans each holding most of the file, gigabytes of
   * code and symbols quadratic in the depth.
   */
  static final int MAX_NESTING = 16;

  /** Finding the spans may take this many times the parse time limit before the file is skipped. */
  static final int QUERY_TIME_FACTOR = 6;

  private static final Set<String> BODY_TYPES =
      Set.of(
          "block",
          "class_body",
          "declaration_list",
          "field_declaration_list",
          "enumerator_list",
          "compound_statement",
          "statement_block",
          "interface_body",
          "enum_body",
          "enum_variant_list",
          "object_type",
          "body_statement",
          "constructor_body",
          "annotation_type_body",
          "record_declaration_body",
          "enum_member_declaration_list");

  private static final Set<String> NAME_LEAF_TYPES =
      Set.of(
          "identifier",
          "field_identifier",
          "type_identifier",
          "qualified_identifier",
          "destructor_name",
          "operator_name",
          "operator_cast",
          "template_function",
          "namespace_identifier");

  private static final class Grammar {
    final TSLanguage language;
    final TSQuery query;

    /** Capture names by id: asking the query crosses JNI and makes a new string every time. */
    final String[] captureNames;

    Grammar(TSLanguage language, TSQuery query) {
      this.language = language;
      this.query = query;
      this.captureNames = new String[query.getCaptureCount()];
      for (int i = 0; i < captureNames.length; i++) {
        captureNames[i] = query.getCaptureNameForId(i);
      }
    }
  }

  /** A definition found by the query, before spans are numbered. */
  private static final class Def {
    TSNode node;
    TSNode range;
    String captureKind;
    String name;
    List<String> qualifier = List.of();
    String scopeName;
    int start;
    int end;
    int index;
    @Nullable Def parent;
    SpanKind kind;
    String symbol;
  }

  private final TSParser parser = new TSParser();
  private final Map<Language, Grammar> grammars = new EnumMap<>(Language.class);
  private final long parseTimeoutNanos;
  private final MessageDigest sha256;
  private @Nullable Language current;
  private final boolean analyzeFacts;

  /**
   * @param parseTimeoutMillis a file whose parse takes longer is given up on
   */
  public SpanExtractor(long parseTimeoutMillis) {
    this(parseTimeoutMillis, true);
  }

  /**
   * @param analyzeFacts also read each span's facts from the same parse (see {@link
   *     FactsAnalyzer}); off only to measure what facts cost
   */
  public SpanExtractor(long parseTimeoutMillis, boolean analyzeFacts) {
    this.analyzeFacts = analyzeFacts;
    this.parseTimeoutNanos = parseTimeoutMillis * 1_000_000L;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /**
   * @param utf8 the file's bytes, valid UTF-8
   * @param text the same content decoded, for the queries' predicates
   */
  public Extraction extract(Language language, byte[] utf8, String text)
      throws ParseTimeoutException {
    Grammar g = grammar(language);
    if (current != language) {
      parser.setLanguage(g.language);
      current = language;
    }
    long deadline = System.nanoTime() + parseTimeoutNanos;
    TSTree tree =
        parser.parseWithOptions(
            new byte[Math.max(1, Math.min(utf8.length, 1 << 16))],
            null,
            (buf, offset, position) -> {
              if (offset >= utf8.length) {
                return 0;
              }
              int n = Math.min(buf.length, utf8.length - offset);
              System.arraycopy(utf8, offset, buf, 0, n);
              return n;
            },
            TSInputEncoding.TSInputEncodingUTF8,
            state -> System.nanoTime() > deadline);
    if (tree == null) {
      parser.reset();
      throw new ParseTimeoutException(
          "parse took longer than " + parseTimeoutNanos / 1_000_000 + " ms");
    }
    try (tree) {
      TSNode root = tree.getRootNode();
      List<FactsAnalyzer.Hit> hits = analyzeFacts ? new ArrayList<>() : null;
      // the parse limit is for the parser; the queries get a generous multiple of it, a safety
      // net for pathological files (a loaded machine must not turn honest files into skips)
      long queryDeadline = System.nanoTime() + QUERY_TIME_FACTOR * parseTimeoutNanos;
      List<Def> defs = findDefinitions(g, root, text, language, utf8, hits, queryDeadline);
      List<ExtractedSpan> spans = toSpans(defs, language, utf8);
      if (hits == null) {
        return new Extraction(spans, root.hasError());
      }
      // toSpans sorted defs into span order, so the sites line up with the spans.
      List<FactsAnalyzer.Site> sites = new ArrayList<>(defs.size());
      for (int i = 0; i < defs.size(); i++) {
        Def d = defs.get(i);
        sites.add(
            new FactsAnalyzer.Site(
                d.node, d.range, d.scopeName, spans.get(i).signature(), d.kind == SpanKind.CLASS));
      }
      FactsAnalyzer.FileFacts f = FactsAnalyzer.analyze(language, utf8, sites, hits);
      return new Extraction(spans, root.hasError(), f.imports(), f.facts());
    }
  }

  private Grammar grammar(Language language) {
    Grammar g = grammars.get(language);
    if (g == null) {
      TSLanguage lang = language.grammar();
      String source;
      try (InputStream in = SpanExtractor.class.getResourceAsStream(language.queryResource())) {
        if (in == null) {
          throw new PermanentException("missing span query " + language.queryResource());
        }
        source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new PermanentException("cannot read span query " + language.queryResource(), e);
      }
      if (analyzeFacts) {
        // One query, one walk of the tree for spans and facts (see FactsAnalyzer.querySource).
        source = source + "\n" + FactsAnalyzer.querySource(language);
      }
      g = new Grammar(lang, new TSQuery(lang, source));
      grammars.put(language, g);
    }
    return g;
  }

  /**
   * @param hits receives the matches of the facts patterns, or null when facts are not analysed
   */
  private List<Def> findDefinitions(
      Grammar g,
      TSNode root,
      String text,
      Language language,
      byte[] utf8,
      @Nullable List<FactsAnalyzer.Hit> hits,
      long deadline)
      throws ParseTimeoutException {
    List<Def> defs = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    // ends of the definitions enclosing the current match (matches come in document order):
    // deeper ones are never spans (MAX_NESTING), so they skip the costly range and name work,
    // each of whose parent lookups walks down from the root
    int[] enclosing = new int[MAX_NESTING];
    int depth = 0;
    int checked = 0;
    try (TSQueryCursor cursor = new TSQueryCursor()) {
      cursor.exec(g.query, root, text);
      TSQueryMatch match = new TSQueryMatch();
      while (cursor.nextMatch(match)) {
        if ((++checked & 255) == 0 && System.nanoTime() > deadline) {
          // a pathological file is skipped with a reason instead of holding an indexing thread
          // for minutes
          throw new ParseTimeoutException(
              "finding spans took longer than "
                  + QUERY_TIME_FACTOR * parseTimeoutNanos / 1_000_000
                  + " ms");
        }
        TSNode defNode = null;
        TSNode nameNode = null;
        String kind = null;
        TSNode factNode = null;
        String factKind = null;
        Map<String, TSNode> factParts = null;
        for (TSQueryCapture c : match.getCaptures()) {
          String capture = g.captureNames[c.getIndex()];
          if (capture.startsWith("definition.")) {
            defNode = c.getNode();
            kind = capture.substring("definition.".length());
          } else if (capture.equals("name")) {
            nameNode = c.getNode();
          } else if (hits != null) {
            if (factParts == null) {
              factParts = new HashMap<>(4);
            }
            factParts.put(capture, c.getNode());
            if (FactsAnalyzer.KINDS.contains(capture)) {
              factNode = c.getNode();
              factKind = capture;
            }
          }
        }
        if (factNode != null) {
          hits.add(new FactsAnalyzer.Hit(factKind, factNode, factParts));
          continue;
        }
        if (defNode == null || nameNode == null || defNode.isError()) {
          continue;
        }
        int defStart = defNode.getStartByte();
        while (depth > 0 && enclosing[depth - 1] <= defStart) {
          depth--;
        }
        if (depth >= MAX_NESTING) {
          continue;
        }
        long key = ((long) defStart << 32) | defNode.getEndByte();
        if (!seen.add(key)) {
          continue;
        }
        Def d = new Def();
        d.node = defNode;
        d.captureKind = kind;
        nameDefinition(d, nameNode, utf8, language);
        if (d.name.isEmpty()) {
          continue;
        }
        d.range = expandRange(defNode);
        d.start = d.range.getStartByte();
        d.end = d.range.getEndByte();
        defs.add(d);
        enclosing[depth++] = defNode.getEndByte();
      }
    }
    return defs;
  }

  private static void nameDefinition(Def d, TSNode nameNode, byte[] utf8, Language language) {
    String nodeType = d.node.getType();
    if (nodeType.equals("impl_item")) {
      TSNode trait = d.node.getChildByFieldName("trait");
      String type = collapse(text(utf8, nameNode));
      d.name =
          "impl "
              + (trait == null || trait.isNull() ? "" : collapse(text(utf8, trait)) + " for ")
              + type;
      d.scopeName = baseTypeName(type);
      return;
    }
    TSNode leaf = nameNode;
    if (nodeType.equals("function_definition") && language != Language.PYTHON) {
      leaf = declaratorName(nameNode);
    }
    String raw = collapse(text(utf8, leaf));
    String sep = raw.contains("::") ? "::" : null;
    if (sep != null) {
      List<String> parts = new ArrayList<>(List.of(raw.split("::", -1)));
      parts.removeIf(String::isBlank);
      if (parts.isEmpty()) {
        d.name = "";
        return;
      }
      d.name = stripTemplateArgs(parts.remove(parts.size() - 1));
      List<String> q = new ArrayList<>();
      for (String p : parts) {
        q.add(stripTemplateArgs(p));
      }
      d.qualifier = List.copyOf(q);
    } else {
      d.name = stripTemplateArgs(raw);
    }
    if (nodeType.equals("method_declaration") && language == Language.GO) {
      String receiver = goReceiverType(d.node, utf8);
      if (receiver != null) {
        d.qualifier = List.of(receiver);
      }
    }
    d.scopeName = d.name;
  }

  /** The identifier under a C/C++ declarator chain: pointers, references, parentheses. */
  private static TSNode declaratorName(TSNode declarator) {
    TSNode n = declarator;
    for (int depth = 0; depth < 16 && !NAME_LEAF_TYPES.contains(n.getType()); depth++) {
      TSNode next = n.getChildByFieldName("declarator");
      if (next == null || next.isNull()) {
        next = n.getNamedChildCount() > 0 ? n.getNamedChild(0) : null;
      }
      if (next == null || next.isNull()) {
        break;
      }
      n = next;
    }
    return n;
  }

  private static @Nullable String goReceiverType(TSNode method, byte[] utf8) {
    TSNode receiver = method.getChildByFieldName("receiver");
    if (receiver == null || receiver.isNull()) {
      return null;
    }
    for (int i = 0; i < receiver.getNamedChildCount(); i++) {
      TSNode param = receiver.getNamedChild(i);
      TSNode type = param.getChildByFieldName("type");
      if (type != null && !type.isNull()) {
        String name = baseTypeName(text(utf8, type));
        return name.isEmpty() ? null : name;
      }
    }
    return null;
  }

  /** "&'a mut foo::Bar<T>" -> "Bar"; "*Stack[T]" -> "Stack". */
  private static String baseTypeName(String type) {
    String t = type.trim();
    int cut = indexOfAny(t, "<[(");
    if (cut >= 0) {
      t = t.substring(0, cut);
    }
    t = t.replaceAll("^[&*\\s]+", "").replaceAll("^'\\w+\\s+", "").replaceAll("^(mut|dyn)\\s+", "");
    int sep = Math.max(t.lastIndexOf("::"), t.lastIndexOf('.'));
    if (sep >= 0) {
      t = t.substring(t.charAt(sep) == '.' ? sep + 1 : sep + 2);
    }
    return t.trim();
  }

  private static String stripTemplateArgs(String name) {
    if (name.startsWith("operator")) {
      return name;
    }
    int lt = name.indexOf('<');
    return (lt > 0 ? name.substring(0, lt) : name).trim();
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The node whose bytes make the span: decorators, export, template and single-declaration
   * wrappers belong to the definition they wrap.
   */
  private static TSNode expandRange(TSNode node) {
    TSNode n = node;
    for (int guard = 0; guard < 4; guard++) {
      TSNode parent = n.getParent();
      if (parent == null || parent.isNull()) {
        break;
      }
      String pt = parent.getType();
      boolean wrap =
          switch (pt) {
            case "decorated_definition", "export_statement", "template_declaration" -> true;
            case "lexical_declaration", "variable_declaration", "type_declaration" ->
                parent.getNamedChildCount() == 1
                    || countNamedChildrenOfType(parent, n.getType()) == 1;
            default -> false;
          };
      if (!wrap) {
        break;
      }
      n = parent;
    }
    return n;
  }

  private static int countNamedChildrenOfType(TSNode parent, String type) {
    int count = 0;
    for (int i = 0; i < parent.getNamedChildCount(); i++) {
      if (parent.getNamedChild(i).getType().equals(type)) {
        count++;
      }
    }
    return count;
  }

  private List<ExtractedSpan> toSpans(List<Def> defs, Language language, byte[] utf8) {
    defs.sort(
        Comparator.comparingInt((Def d) -> d.start)
            .thenComparing(Comparator.comparingInt((Def d) -> d.end).reversed()));
    Deque<Def> stack = new ArrayDeque<>();
    for (int i = 0; i < defs.size(); i++) {
      Def d = defs.get(i);
      d.index = i;
      while (!stack.isEmpty() && !(stack.peek().start <= d.start && d.end <= stack.peek().end)) {
        stack.pop();
      }
      d.parent = stack.peek();
      stack.push(d);
    }
    // the caller keeps defs aligned with the spans, so the too-deep ones leave the list itself
    defs.removeIf(d -> depth(d) >= MAX_NESTING);
    for (int i = 0; i < defs.size(); i++) {
      defs.get(i).index = i;
    }
    Map<String, Def> classesBySymbol = new HashMap<>();
    for (Def d : defs) {
      d.kind = kindOf(d);
      String prefix = d.parent == null ? "" : scopeOf(d.parent) + ".";
      String qual = d.qualifier.isEmpty() ? "" : String.join(".", d.qualifier) + ".";
      d.symbol = prefix + qual + d.name;
      if (d.kind == SpanKind.CLASS) {
        classesBySymbol.putIfAbsent(prefix + qual + d.scopeName, d);
      }
    }
    // Go methods and out-of-class C++ definitions name their class instead of nesting in it.
    for (Def d : defs) {
      if (d.parent == null && !d.qualifier.isEmpty()) {
        Def owner = classesBySymbol.get(String.join(".", d.qualifier));
        if (owner != null && owner != d) {
          d.parent = owner;
        }
      }
    }
    List<ExtractedSpan> spans = new ArrayList<>(defs.size());
    for (Def d : defs) {
      String code = new String(utf8, d.start, d.end - d.start, StandardCharsets.UTF_8);
      spans.add(
          new ExtractedSpan(
              language.id(),
              d.kind,
              d.node.getType(),
              d.name,
              d.symbol,
              d.parent == null ? -1 : d.parent.index,
              d.range.getStartPoint().getRow() + 1,
              endLine(d.range),
              d.start,
              d.end,
              signature(d, utf8),
              docHint(d, language, utf8),
              code,
              hash(language, utf8, d.start, d.end),
              TokenEstimate.ofUtf8Bytes(d.end - d.start)));
    }
    return spans;
  }

  private static SpanKind kindOf(Def d) {
    return switch (d.captureKind) {
      case "class" -> SpanKind.CLASS;
      case "method" -> SpanKind.METHOD;
      default ->
          (d.parent != null && d.parent.captureKind.equals("class")) || !d.qualifier.isEmpty()
              ? SpanKind.METHOD
              : SpanKind.FUNCTION;
    };
  }

  private static int depth(Def d) {
    int depth = 0;
    for (Def p = d.parent; p != null && depth < MAX_NESTING; p = p.parent) {
      depth++;
    }
    return depth;
  }

  /** The qualified name children of {@code d} hang under (a Rust impl lends its type's name). */
  private static String scopeOf(Def d) {
    String prefix = d.parent == null ? "" : scopeOf(d.parent) + ".";
    String qual = d.qualifier.isEmpty() ? "" : String.join(".", d.qualifier) + ".";
    return prefix + qual + d.scopeName;
  }

  private static int endLine(TSNode node) {
    var end = node.getEndPoint();
    // A node that ends right after a newline ends on the line before.
    if (end.getColumn() == 0 && end.getRow() > node.getStartPoint().getRow()) {
      return end.getRow();
    }
    return end.getRow() + 1;
  }

  private String hash(Language language, byte[] utf8, int start, int end) {
    sha256.reset();
    sha256.update(language.id().getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(utf8, start, end - start);
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static @Nullable String signature(Def d, byte[] utf8) {
    TSNode def = d.node;
    int start = def.getStartByte();
    String type = def.getType();
    if (type.equals("variable_declarator") || type.equals("type_spec")) {
      TSNode parent = def.getParent();
      if (parent != null && !parent.isNull()) {
        start = parent.getStartByte();
      }
    }
    if (type.equals("variable_declarator") || type.equals("pair")) {
      TSNode value = def.getChildByFieldName("value");
      def = value == null || value.isNull() ? def : value;
    }
    TSNode body = findBody(def);
    int end;
    if (body != null && body.getStartByte() > start) {
      end = headerEnd(def, body);
    } else {
      end = def.getEndByte();
      for (int i = start; i < end; i++) {
        if (utf8[i] == '\n') {
          end = i;
          break;
        }
      }
    }
    String sig =
        collapse(new String(utf8, start, Math.max(0, end - start), StandardCharsets.UTF_8));
    if (sig.endsWith("{")) {
      sig = sig.substring(0, sig.length() - 1).trim();
    }
    return sig.isEmpty() ? null : cap(sig);
  }

  /** Where the header before {@code body} ends, leaving out comments between the two. */
  private static int headerEnd(TSNode def, TSNode body) {
    int end = body.getStartByte();
    int last = -1;
    // def's own children, not body's parent: finding a parent walks down from the root
    for (int i = 0; i < def.getChildCount(); i++) {
      TSNode c = def.getChild(i);
      if (c.getStartByte() >= end) {
        break;
      }
      if (!c.getType().contains("comment")) {
        last = c.getEndByte();
      }
    }
    return last > 0 && last <= end ? last : end;
  }

  private static @Nullable TSNode findBody(TSNode def) {
    TSNode body = def.getChildByFieldName("body");
    if (body != null && !body.isNull()) {
      return body;
    }
    for (String field : new String[] {"type", "value"}) {
      TSNode inner = def.getChildByFieldName(field);
      if (inner != null && !inner.isNull()) {
        TSNode b = inner.getChildByFieldName("body");
        if (b != null && !b.isNull()) {
          return b;
        }
        for (int i = 0; i < inner.getNamedChildCount(); i++) {
          if (BODY_TYPES.contains(inner.getNamedChild(i).getType())) {
            return inner.getNamedChild(i);
          }
        }
      }
    }
    for (int i = 0; i < def.getNamedChildCount(); i++) {
      TSNode c = def.getNamedChild(i);
      if (BODY_TYPES.contains(c.getType())) {
        return c;
      }
    }
    return null;
  }

  private static @Nullable String docHint(Def d, Language language, byte[] utf8) {
    if (language == Language.PYTHON) {
      String doc = pythonDocstring(d.node, utf8);
      if (doc != null) {
        return doc;
      }
    }
    List<String> comments = new ArrayList<>();
    TSNode next = d.range;
    TSNode prev = d.range.getPrevNamedSibling();
    if (prev == null || prev.isNull()) {
      // Some grammars (Ruby) hang the comments before a body's first statement on the body's owner.
      TSNode parent = d.range.getParent();
      if (parent != null && !parent.isNull() && parent.getStartByte() == d.range.getStartByte()) {
        prev = parent.getPrevNamedSibling();
      }
    }
    while (prev != null && !prev.isNull()) {
      String type = prev.getType();
      if (type.equals("attribute_item") || type.equals("attribute_list")) {
        next = prev;
        prev = prev.getPrevNamedSibling();
        continue;
      }
      if (!type.contains("comment")
          || next.getStartPoint().getRow() - prev.getEndPoint().getRow() > 1) {
        break;
      }
      comments.add(0, text(utf8, prev));
      next = prev;
      prev = prev.getPrevNamedSibling();
    }
    return comments.isEmpty() ? null : cleanDoc(String.join("\n", comments));
  }

  private static @Nullable String pythonDocstring(TSNode def, byte[] utf8) {
    TSNode body = def.getChildByFieldName("body");
    if (body == null || body.isNull() || body.getNamedChildCount() == 0) {
      return null;
    }
    TSNode first = body.getNamedChild(0);
    if (!first.getType().equals("expression_statement") || first.getNamedChildCount() == 0) {
      return null;
    }
    TSNode str = first.getNamedChild(0);
    if (!str.getType().equals("string")) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < str.getNamedChildCount(); i++) {
      TSNode part = str.getNamedChild(i);
      if (part.getType().equals("string_content")) {
        sb.append(text(utf8, part));
      }
    }
    return cleanDoc(sb.toString());
  }

  /** First paragraph of a comment or docstring, without comment markers, on one line. */
  static @Nullable String cleanDoc(String raw) {
    StringBuilder sb = new StringBuilder();
    boolean started = false;
    for (String line : raw.split("\r?\n")) {
      String l = line.strip();
      l = l.replaceFirst("^(///?|//!|/\\*\\*?|\\*/|\\*|#+|--)\\s?", "");
      l = l.replaceFirst("\\*+/$", "").replaceAll("</?[A-Za-z][^>]*>", " ").strip();
      if (l.isEmpty()) {
        if (started) {
          break;
        }
        continue;
      }
      if (l.startsWith("@") && started) {
        break;
      }
      started = true;
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(l);
    }
    String s = collapse(sb.toString());
    return s.isEmpty() ? null : cap(s);
  }

  private static String cap(String s) {
    if (s.length() <= MAX_HINT_CHARS) {
      return s;
    }
    int cut = MAX_HINT_CHARS;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut) + "...";
  }

  private static String collapse(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  private static String text(byte[] utf8, TSNode node) {
    int start = node.getStartByte();
    int end = Math.min(node.getEndByte(), utf8.length);
    return start >= end ? "" : new String(utf8, start, end - start, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    for (Grammar g : grammars.values()) {
      g.query.close();
    }
    grammars.clear();
    parser.close();
  }
}
