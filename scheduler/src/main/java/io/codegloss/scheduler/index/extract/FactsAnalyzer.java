package io.codegloss.scheduler.index.extract;

import io.codegloss.core.error.PermanentException;
import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SideEffectKind;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.facts.SpanFacts.Call;
import io.codegloss.core.facts.SpanFacts.LineRange;
import io.codegloss.core.facts.SpanFacts.Param;
import io.codegloss.core.facts.SpanFacts.Raise;
import io.codegloss.core.facts.SpanFacts.SideEffect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.treesitter.TSNode;

/**
 * Reads the facts of every span of one parsed file from the tree the span extractor already built:
 * one query per language picks out calls, returns, raises, assignments and imports, and each hit is
 * given to the innermost span that contains it, so a nested function that is its own span keeps its
 * facts to itself. Like a parser, an analyzer holds native queries and must not be shared between
 * threads.
 *
 * <p>Odd code never makes it throw: a span whose analysis fails keeps its signature only, and a
 * syntax error in one function leaves the other spans' facts as they are, since tree-sitter
 * confines the error to an ERROR node.
 */
public final class FactsAnalyzer {

  /** Stored with the facts; bump it when analysis changes so stored facts can be recomputed. */
  public static final int VERSION = 1;

  private static final Logger log = LoggerFactory.getLogger(FactsAnalyzer.class);
  private static final int MAX_TEXT = 200;

  /**
   * A span as the extractor found it.
   *
   * @param def the definition node (function, method, class)
   * @param range the node whose bytes make the span (decorators and export wrappers included)
   * @param name the span's own name ({@code Store} for a Go struct, whose methods are elsewhere)
   * @param signature the extractor's signature
   */
  public record Site(
      TSNode def, TSNode range, String name, @Nullable String signature, boolean isClass) {}

  /** The facts of one file: its imports and one entry per span, aligned with the sites. */
  public record FileFacts(List<FileImport> imports, List<SpanFacts> facts) {}

  /** The capture naming a hit's main node; every other capture of the pattern is a part. */
  public static final Set<String> KINDS =
      Set.of(
          "call", "new", "return", "raise", "assign", "global", "import", "local", "field", "env");

  /**
   * One match of the facts patterns.
   *
   * @param kind the main capture's name: call, new, return, raise, assign, global, import, local,
   *     field, env
   * @param parts every capture of the match by name
   */
  public record Hit(String kind, TSNode main, Map<String, TSNode> parts) {}

  private FactsAnalyzer() {}

  /**
   * The facts patterns of a language. The span extractor appends them to its span query, so that
   * one walk of the tree finds both the spans and the nodes their facts come from: a query walk
   * costs about as much as the parse, and a second one nearly doubled the extraction time.
   */
  public static String querySource(Language language) {
    String resource = "/io/codegloss/scheduler/index/facts/" + language.id() + ".scm";
    try (InputStream in = FactsAnalyzer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new PermanentException("missing facts query " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PermanentException("cannot read facts query " + resource, e);
    }
  }

  /**
   * The facts of one file's spans from the hits of the facts patterns.
   *
   * @param sites the spans in extraction order
   * @param hits the matches of {@link #querySource} patterns, in the order the query gave them
   */
  public static FileFacts analyze(
      Language language, byte[] utf8, List<Site> sites, List<Hit> hits) {
    try {
      return new Run(language, utf8, sites).run(hits);
    } catch (RuntimeException e) {
      log.debug("facts analysis failed; keeping signatures only", e);
      List<SpanFacts> facts = new ArrayList<>(sites.size());
      for (Site s : sites) {
        facts.add(SpanFacts.signatureOnly(s.signature()));
      }
      return new FileFacts(List.of(), facts);
    }
  }

  /** What analysis collects for one span before it becomes a {@link SpanFacts}. */
  private static final class Acc {
    final List<Integer> returns = new ArrayList<>();
    final List<Raise> raises = new ArrayList<>();
    final List<RawCall> calls = new ArrayList<>();
    final List<RawWrite> writes = new ArrayList<>();
    final List<SideEffect> effects = new ArrayList<>();
    final Set<String> globals = new HashSet<>();
    final Set<String> locals = new HashSet<>();
    final Map<String, String> types = new HashMap<>();
    List<Param> params = List.of();
    @Nullable String selfName;
  }

  private record RawCall(String name, @Nullable String receiver, int line, boolean isNew) {}

  /** An assignment target: its text, its root identifier, and whether the root itself is set. */
  private record RawWrite(String text, String root, boolean whole, int line) {}

  /** One analysis of one file. */
  private static final class Run {
    final Language lang;
    final byte[] utf8;
    final List<Site> sites;
    final int[] starts;
    final int[] ends;
    final int[] parent;
    final Acc[] acc;
    final Acc module = new Acc();
    final List<FileImport> imports = new ArrayList<>();
    final Map<String, String> aliases = new HashMap<>();

    Run(Language lang, byte[] utf8, List<Site> sites) {
      this.lang = lang;
      this.utf8 = utf8;
      this.sites = sites;
      int n = sites.size();
      starts = new int[n];
      ends = new int[n];
      parent = new int[n];
      acc = new Acc[n];
      for (int i = 0; i < n; i++) {
        starts[i] = sites.get(i).range().getStartByte();
        ends[i] = sites.get(i).range().getEndByte();
        acc[i] = new Acc();
      }
      // The containment tree by bytes: the extractor's parent links can point outside (a Go
      // method hangs under its struct), which is not where its statements are.
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          (a, b) ->
              starts[a] != starts[b] ? Integer.compare(starts[a], starts[b]) : ends[b] - ends[a]);
      int[] stack = new int[n];
      int top = 0;
      for (int i : order) {
        while (top > 0
            && !(starts[stack[top - 1]] <= starts[i] && ends[i] <= ends[stack[top - 1]])) {
          top--;
        }
        parent[i] = top == 0 ? -1 : stack[top - 1];
        stack[top++] = i;
      }
      sortedStarts = order;
    }

    final Integer[] sortedStarts;

    private int @Nullable [] lineStarts;

    /** The 1-based line of a byte offset, without asking the tree (a JNI call and an object). */
    int lineOf(int pos) {
      if (lineStarts == null) {
        int n = 1;
        for (byte b : utf8) {
          if (b == '\n') {
            n++;
          }
        }
        lineStarts = new int[n];
        int k = 1;
        for (int i = 0; i < utf8.length; i++) {
          if (utf8[i] == '\n') {
            lineStarts[k++] = i + 1;
          }
        }
      }
      int i = java.util.Arrays.binarySearch(lineStarts, pos);
      return i >= 0 ? i + 1 : -i - 1;
    }

    /** The innermost span containing {@code pos}, or -1 for module level. */
    int owner(int pos) {
      int lo = 0;
      int hi = sortedStarts.length - 1;
      int found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (starts[sortedStarts[mid]] <= pos) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      int s = found < 0 ? -1 : sortedStarts[found];
      while (s >= 0 && pos >= ends[s]) {
        s = parent[s];
      }
      return s;
    }

    Acc accOf(int owner) {
      return owner < 0 ? module : acc[owner];
    }

    FileFacts run(List<Hit> hits) {
      for (int i = 0; i < sites.size(); i++) {
        try {
          headerFacts(i);
        } catch (RuntimeException e) {
          log.debug("header facts of span {} failed", i, e);
        }
      }
      for (Hit hit : hits) {
        try {
          onMatch(hit.kind(), hit.main(), hit.parts());
        } catch (RuntimeException e) {
          log.debug("facts of a {} node failed", hit.kind(), e);
        }
      }
      List<SpanFacts> facts = new ArrayList<>(sites.size());
      for (int i = 0; i < sites.size(); i++) {
        try {
          facts.add(finish(i));
        } catch (RuntimeException e) {
          log.debug("facts of span {} failed", i, e);
          facts.add(SpanFacts.signatureOnly(sites.get(i).signature()));
        }
      }
      return new FileFacts(List.copyOf(new LinkedHashSet<>(imports)), facts);
    }

    void onMatch(String kind, TSNode node, Map<String, TSNode> parts) {
      int start = node.getStartByte();
      int owner = owner(start);
      Acc a = accOf(owner);
      int line = lineOf(start);
      switch (kind) {
        case "call", "new" -> {
          TSNode fn = parts.get("fn");
          if (fn != null) {
            TSNode recv = parts.get("recv");
            String name = text(fn);
            if (!name.isEmpty()) { // a MISSING node left by error recovery has no text
              a.calls.add(new RawCall(name, recv == null ? null : text(recv), line, false));
            }
          } else {
            onCall(a, node, parts.get("callee"), line, kind.equals("new"));
          }
        }
        case "return" -> a.returns.add(line);
        case "raise" -> onRaise(a, node, line);
        case "assign" -> onAssign(a, node, parts, line);
        case "global" -> {
          for (int i = 0; i < node.getNamedChildCount(); i++) {
            a.globals.add(text(node.getNamedChild(i)));
          }
        }
        case "import" -> onImport(node);
        case "local" -> onLocal(a, owner, node, parts);
        case "field" -> onField(owner, parts);
        case "env" -> a.effects.add(new SideEffect(SideEffectKind.ENVIRONMENT, text(node), line));
        default -> {}
      }
    }

    // ---- calls

    void onCall(Acc a, TSNode call, @Nullable TSNode callee, int line, boolean isNew) {
      if (callee == null) {
        return;
      }
      String name;
      String receiver = null;
      if (lang == Language.JAVA && !isNew) {
        name = text(callee);
        TSNode obj = call.getChildByFieldName("object");
        if (present(obj)) {
          receiver = text(obj);
        }
      } else if (lang == Language.RUBY) {
        name = text(callee);
        TSNode obj = call.getChildByFieldName("receiver");
        if (present(obj)) {
          receiver = text(obj);
        }
      } else {
        String[] nr = splitCallee(callee);
        if (nr == null) {
          return;
        }
        name = nr[0];
        receiver = nr[1];
      }
      if (name.isEmpty()) {
        return;
      }
      if (isNew) {
        name = stripGenerics(name);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && receiver == null) {
          receiver = name.substring(0, dot);
          name = name.substring(dot + 1);
        }
      }
      if (lang == Language.GO && receiver == null && name.equals("panic")) {
        a.raises.add(new Raise("panic", line));
      }
      if ((lang == Language.JAVASCRIPT || lang == Language.TYPESCRIPT || lang == Language.TSX)
          && receiver == null
          && name.equals("require")) {
        return;
      }
      a.calls.add(new RawCall(name, receiver, line, isNew));
    }

    /** {name, receiver} of a callee expression, or null when it has no name (a call's result). */
    String @Nullable [] splitCallee(TSNode callee) {
      String type = callee.getType();
      return switch (type) {
        case "identifier", "type_identifier", "field_identifier", "property_identifier" ->
            new String[] {text(callee), null};
        case "attribute" -> pair(callee, "attribute", "object");
        case "member_expression" -> pair(callee, "property", "object");
        case "selector_expression" -> pair(callee, "field", "operand");
        case "field_expression" ->
            pair(callee, "field", lang == Language.RUST ? "value" : "argument");
        case "member_access_expression" -> pair(callee, "name", "expression");
        case "scoped_identifier", "qualified_identifier", "scoped_type_identifier" -> {
          TSNode name = callee.getChildByFieldName("name");
          TSNode path =
              callee.getChildByFieldName(type.equals("qualified_identifier") ? "scope" : "path");
          if (!present(name)) {
            yield null;
          }
          yield new String[] {text(name), present(path) ? text(path) : null};
        }
        case "generic_type", "generic_name" -> {
          TSNode inner = callee.getNamedChildCount() > 0 ? callee.getNamedChild(0) : null;
          yield inner == null ? null : splitCallee(inner);
        }
        case "generic_function" -> {
          TSNode inner = callee.getChildByFieldName("function");
          yield present(inner) ? splitCallee(inner) : null;
        }
        case "nested_identifier" -> {
          String t = text(callee);
          int dot = t.lastIndexOf('.');
          yield dot < 0
              ? new String[] {t, null}
              : new String[] {t.substring(dot + 1), t.substring(0, dot)};
        }
        default -> null;
      };
    }

    String @Nullable [] pair(TSNode node, String nameField, String receiverField) {
      TSNode name = node.getChildByFieldName(nameField);
      TSNode receiver = node.getChildByFieldName(receiverField);
      if (!present(name)) {
        return null;
      }
      return new String[] {text(name), present(receiver) ? text(receiver) : null};
    }

    void onRaise(Acc a, TSNode node, int line) {
      TSNode value = node.getNamedChildCount() > 0 ? node.getNamedChild(0) : null;
      if (value == null || value.getType().contains("comment")) {
        a.raises.add(new Raise("(re-raise)", line));
        return;
      }
      String type = value.getType();
      TSNode name = value;
      switch (type) {
        case "call" -> name = value.getChildByFieldName("function");
        case "new_expression" -> name = value.getChildByFieldName("constructor");
        case "object_creation_expression" -> name = value.getChildByFieldName("type");
        default -> {}
      }
      a.raises.add(new Raise(stripGenerics(present(name) ? text(name) : text(value)), line));
    }

    // ---- writes

    void onAssign(Acc a, TSNode node, Map<String, TSNode> parts, int line) {
      TSNode target = parts.get("target");
      if (target == null) {
        return;
      }
      for (TSNode t : targets(target)) {
        String type = t.getType();
        String root = rootIdentifier(t);
        if (root == null) {
          continue;
        }
        boolean whole = type.equals("identifier");
        a.writes.add(new RawWrite(text(t), root, whole, line));
        // Only Python binds a local by assigning; the others declare (see onLocal).
        if (whole && lang == Language.PYTHON) {
          a.locals.add(root);
        }
      }
      // A binding from a constructor call types the name: repo = Repo(db), self.repo = Repo().
      if (lang == Language.PYTHON
          && (target.getType().equals("identifier") || target.getType().equals("attribute"))) {
        // The query captures both, sparing two child lookups per assignment.
        TSNode annotation = parts.get("atype");
        TSNode right = parts.get("right");
        String typeName = present(annotation) ? text(annotation) : constructedType(right);
        if (typeName == null && present(right) && right.getType().equals("identifier")) {
          // self.repo = repo hands a typed parameter to a field.
          typeName = a.types.get(text(right));
        }
        if (typeName != null) {
          String key = text(target);
          if (key.startsWith("self.") || key.startsWith("cls.")) {
            int cls = enclosingClass(owner(node.getStartByte()));
            if (cls >= 0) {
              acc[cls].types.putIfAbsent(key.substring(key.indexOf('.') + 1), typeName);
            }
          } else {
            a.types.put(key, typeName);
          }
        }
      }
    }

    /** The single targets of a possibly destructuring assignment. */
    List<TSNode> targets(TSNode target) {
      String type = target.getType();
      if (type.equals("pattern_list")
          || type.equals("tuple_pattern")
          || type.equals("list_pattern")
          || type.equals("expression_list")) {
        List<TSNode> out = new ArrayList<>();
        for (int i = 0; i < target.getNamedChildCount(); i++) {
          out.addAll(targets(target.getNamedChild(i)));
        }
        return out;
      }
      return List.of(target);
    }

    /** The identifier a target hangs off: {@code a} for {@code a.b[c].d}, or null. */
    @Nullable String rootIdentifier(TSNode t) {
      TSNode n = t;
      for (int guard = 0; guard < 32; guard++) {
        String type = n.getType();
        switch (type) {
          case "identifier", "this", "self" -> {
            return text(n);
          }
          case "attribute",
              "subscript",
              "member_expression",
              "subscript_expression",
              "field_access",
              "array_access",
              "selector_expression",
              "index_expression",
              "unary_expression",
              "parenthesized_expression",
              "pointer_expression",
              "non_null_expression",
              "list_splat_pattern" -> {
            TSNode next = firstField(n, "object", "value", "operand", "array", "argument");
            if (next == null) {
              next = n.getNamedChildCount() > 0 ? n.getNamedChild(0) : null;
            }
            if (next == null) {
              return null;
            }
            n = next;
          }
          default -> {
            return null;
          }
        }
      }
      return null;
    }

    @Nullable TSNode firstField(TSNode n, String... fields) {
      for (String f : fields) {
        TSNode c = n.getChildByFieldName(f);
        if (present(c)) {
          return c;
        }
      }
      return null;
    }

    // ---- declarations that type names

    void onLocal(Acc a, int owner, TSNode node, Map<String, TSNode> parts) {
      TSNode var = parts.get("var");
      if (var == null) {
        return;
      }
      switch (lang) {
        case JAVA -> {
          a.locals.add(text(var));
          TSNode type = parts.get("type");
          if (type != null && !text(type).equals("var")) {
            a.types.put(text(var), stripGenerics(text(type)));
          } else {
            TSNode value = node.getChildByFieldName("declarator");
            value = present(value) ? value.getChildByFieldName("value") : null;
            String t = constructedType(value);
            if (t != null) {
              a.types.put(text(var), t);
            }
          }
        }
        case GO -> {
          TSNode init = parts.get("init");
          if (node.getType().equals("var_spec")) {
            a.locals.add(text(var));
            TSNode type = node.getChildByFieldName("type");
            if (present(type)) {
              a.types.put(text(var), stripGenerics(text(type)));
            }
            return;
          }
          for (int i = 0; i < var.getNamedChildCount(); i++) {
            String name = text(var.getNamedChild(i));
            a.locals.add(name);
            if (init != null && init.getNamedChildCount() == var.getNamedChildCount()) {
              String t = constructedType(init.getNamedChild(i));
              if (t != null) {
                a.types.put(name, t);
              }
            }
          }
        }
        default -> {
          // JavaScript and TypeScript: const x = new Repo(), const r: Repo = ..., require().
          if (!var.getType().equals("identifier")) {
            TSNode value = node.getChildByFieldName("value");
            if (present(value) && isRequire(value) && var.getType().equals("object_pattern")) {
              String module = requiredModule(value);
              for (int i = 0; i < var.getNamedChildCount(); i++) {
                TSNode p = var.getNamedChild(i);
                if (p.getType().equals("shorthand_property_identifier_pattern")) {
                  addImport(new FileImport(module, text(p), text(p)));
                } else if (p.getType().equals("pair_pattern")) {
                  TSNode k = p.getChildByFieldName("key");
                  TSNode v = p.getChildByFieldName("value");
                  if (present(k) && present(v)) {
                    addImport(new FileImport(module, text(k), text(v)));
                  }
                }
              }
            }
            return;
          }
          String name = text(var);
          a.locals.add(name);
          TSNode value = node.getChildByFieldName("value");
          if (present(value) && isRequire(value)) {
            addImport(new FileImport(requiredModule(value), null, name));
            return;
          }
          TSNode type = node.getChildByFieldName("type");
          String t = present(type) ? typeAnnotation(type) : constructedType(value);
          if (t != null) {
            a.types.put(name, t);
          }
        }
      }
    }

    boolean isRequire(TSNode value) {
      if (!value.getType().equals("call_expression")) {
        return false;
      }
      TSNode f = value.getChildByFieldName("function");
      return present(f) && text(f).equals("require");
    }

    String requiredModule(TSNode call) {
      TSNode args = call.getChildByFieldName("arguments");
      if (present(args) && args.getNamedChildCount() > 0) {
        return unquote(text(args.getNamedChild(0)));
      }
      return "";
    }

    void onField(int owner, Map<String, TSNode> parts) {
      TSNode var = parts.get("var");
      TSNode type = parts.get("type");
      if (var == null || type == null) {
        return;
      }
      int cls = owner;
      if (lang == Language.TYPESCRIPT || lang == Language.TSX) {
        cls = enclosingClass(owner);
      }
      if (cls < 0) {
        return;
      }
      String t =
          lang == Language.JAVA || lang == Language.GO
              ? stripGenerics(text(type))
              : typeAnnotation(type);
      if (t != null) {
        acc[cls].types.putIfAbsent(text(var), t);
      }
    }

    /** The struct span of this file a Go method's receiver type names, or -1. */
    int goStruct(@Nullable String receiverType) {
      if (receiverType == null) {
        return -1;
      }
      for (int k = 0; k < sites.size(); k++) {
        if (sites.get(k).isClass() && sites.get(k).name().equals(receiverType)) {
          return k;
        }
      }
      return -1;
    }

    int enclosingClass(int span) {
      int s = span;
      while (s >= 0 && !sites.get(s).isClass()) {
        s = parent[s];
      }
      return s;
    }

    /** The type a value expression constructs, when it plainly does: Foo(), new Foo(), &Foo{}. */
    @Nullable String constructedType(@Nullable TSNode value) {
      if (!present(value)) {
        return null;
      }
      switch (value.getType()) {
        case "new_expression" -> {
          TSNode c = value.getChildByFieldName("constructor");
          return present(c) ? stripGenerics(text(c)) : null;
        }
        case "object_creation_expression" -> {
          TSNode c = value.getChildByFieldName("type");
          return present(c) ? stripGenerics(text(c)) : null;
        }
        case "call" -> {
          TSNode f = value.getChildByFieldName("function");
          if (present(f)) {
            String name = text(f);
            String last = name.substring(name.lastIndexOf('.') + 1);
            // Only a capitalised callee reads as a class; lower case is an ordinary function.
            if (!last.isEmpty() && Character.isUpperCase(last.charAt(0))) {
              return name;
            }
          }
          return null;
        }
        case "unary_expression" -> {
          TSNode operand = value.getChildByFieldName("operand");
          return constructedType(operand);
        }
        case "call_expression" -> {
          // Go's constructor convention: NewStore() and inv.NewStore() make a Store.
          TSNode f = value.getChildByFieldName("function");
          if (lang != Language.GO || !present(f)) {
            return null;
          }
          String name = text(f);
          int dot = name.lastIndexOf('.');
          String last = name.substring(dot + 1);
          if (last.length() > 3
              && last.startsWith("New")
              && Character.isUpperCase(last.charAt(3))) {
            return (dot < 0 ? "" : name.substring(0, dot + 1)) + last.substring(3);
          }
          return null;
        }
        case "composite_literal" -> {
          TSNode t = value.getChildByFieldName("type");
          return present(t) ? stripGenerics(text(t)) : null;
        }
        default -> {
          return null;
        }
      }
    }

    @Nullable String typeAnnotation(TSNode annotation) {
      TSNode t = annotation;
      if (t.getType().equals("type_annotation") && t.getNamedChildCount() > 0) {
        t = t.getNamedChild(0);
      }
      String s = stripGenerics(text(t));
      return s.isEmpty() ? null : s;
    }

    // ---- imports

    void addImport(FileImport imp) {
      imports.add(imp);
      String name = imp.name();
      // A default import binds the module object itself as far as side-effect names go.
      boolean whole = name == null || name.equals("*") || name.equals("default");
      aliases.put(imp.alias(), whole ? imp.module() : imp.module() + "." + name);
    }

    void onImport(TSNode node) {
      switch (lang) {
        case PYTHON -> pythonImport(node);
        case JAVASCRIPT, TYPESCRIPT, TSX -> jsImport(node);
        case JAVA -> javaImport(node);
        case GO -> goImport(node);
        default -> {}
      }
    }

    void pythonImport(TSNode node) {
      if (node.getType().equals("import_statement")) {
        for (int i = 0; i < node.getNamedChildCount(); i++) {
          TSNode n = node.getNamedChild(i);
          if (n.getType().equals("dotted_name")) {
            addImport(new FileImport(text(n), null, text(n)));
          } else if (n.getType().equals("aliased_import")) {
            TSNode name = n.getChildByFieldName("name");
            TSNode alias = n.getChildByFieldName("alias");
            addImport(new FileImport(text(name), null, text(alias)));
          }
        }
        return;
      }
      TSNode moduleNode = node.getChildByFieldName("module_name");
      if (!present(moduleNode)) {
        return;
      }
      String module = text(moduleNode).replace(" ", "");
      for (int i = 0; i < node.getNamedChildCount(); i++) {
        TSNode n = node.getNamedChild(i);
        if (n.getStartByte() == moduleNode.getStartByte()) {
          continue;
        }
        switch (n.getType()) {
          case "dotted_name" -> addImport(new FileImport(module, text(n), text(n)));
          case "aliased_import" -> {
            TSNode name = n.getChildByFieldName("name");
            TSNode alias = n.getChildByFieldName("alias");
            addImport(new FileImport(module, text(name), text(alias)));
          }
          case "wildcard_import" -> imports.add(new FileImport(module, "*", "*"));
          default -> {}
        }
      }
    }

    void jsImport(TSNode node) {
      TSNode source = node.getChildByFieldName("source");
      if (!present(source)) {
        return;
      }
      String module = unquote(text(source));
      for (int i = 0; i < node.getNamedChildCount(); i++) {
        TSNode clause = node.getNamedChild(i);
        if (!clause.getType().equals("import_clause")) {
          continue;
        }
        for (int j = 0; j < clause.getNamedChildCount(); j++) {
          TSNode c = clause.getNamedChild(j);
          switch (c.getType()) {
            case "identifier" -> addImport(new FileImport(module, "default", text(c)));
            case "namespace_import" -> {
              if (c.getNamedChildCount() > 0) {
                addImport(new FileImport(module, null, text(c.getNamedChild(0))));
              }
            }
            case "named_imports" -> {
              for (int k = 0; k < c.getNamedChildCount(); k++) {
                TSNode spec = c.getNamedChild(k);
                if (!spec.getType().equals("import_specifier")) {
                  continue;
                }
                TSNode name = spec.getChildByFieldName("name");
                TSNode alias = spec.getChildByFieldName("alias");
                String n = unquote(text(name));
                addImport(new FileImport(module, n, present(alias) ? text(alias) : n));
              }
            }
            default -> {}
          }
        }
      }
    }

    void javaImport(TSNode node) {
      String raw = text(node).replaceAll("\\s+", " ").trim();
      raw = raw.replaceFirst("^import\\s+", "").replaceFirst(";$", "").trim();
      raw = raw.replaceFirst("^static\\s+", "").replace(" ", "");
      if (raw.endsWith(".*")) {
        imports.add(new FileImport(raw.substring(0, raw.length() - 2), "*", "*"));
        return;
      }
      int dot = raw.lastIndexOf('.');
      if (dot <= 0) {
        return;
      }
      String name = raw.substring(dot + 1);
      addImport(new FileImport(raw.substring(0, dot), name, name));
    }

    void goImport(TSNode spec) {
      TSNode path = spec.getChildByFieldName("path");
      if (!present(path)) {
        return;
      }
      String module = unquote(text(path));
      TSNode name = spec.getChildByFieldName("name");
      String alias;
      if (present(name)) {
        alias = text(name);
      } else {
        String[] segs = module.split("/");
        alias = segs[segs.length - 1];
        if (alias.matches("v\\d+") && segs.length > 1) {
          alias = segs[segs.length - 2];
        }
        alias = alias.replaceFirst("^go-", "").replace("-", "");
      }
      addImport(new FileImport(module, null, alias));
    }

    // ---- the declaration's own facts

    void headerFacts(int i) {
      Site site = sites.get(i);
      Acc a = acc[i];
      TSNode def = site.def();
      TSNode fn = functionNode(def);
      if (fn == null) {
        return;
      }
      switch (lang) {
        case PYTHON -> a.params = pythonParams(fn.getChildByFieldName("parameters"));
        case JAVASCRIPT, TYPESCRIPT, TSX -> {
          TSNode ps = fn.getChildByFieldName("parameters");
          if (!present(ps)) {
            TSNode single = fn.getChildByFieldName("parameter");
            a.params = present(single) ? List.of(new Param(text(single), null, null)) : List.of();
          } else {
            a.params = jsParams(ps);
          }
        }
        case JAVA -> a.params = javaParams(fn.getChildByFieldName("parameters"));
        case GO -> {
          a.params = goParams(fn.getChildByFieldName("parameters"));
          TSNode receiver = fn.getChildByFieldName("receiver");
          if (present(receiver) && receiver.getNamedChildCount() > 0) {
            TSNode decl = receiver.getNamedChild(0);
            TSNode name = decl.getChildByFieldName("name");
            TSNode type = decl.getChildByFieldName("type");
            if (present(name)) {
              a.selfName = text(name);
              if (present(type)) {
                a.types.put(a.selfName, stripGenerics(text(type)));
              }
            }
          }
        }
        default -> {}
      }
      for (Param p : a.params) {
        String bare = bareName(p.name());
        a.locals.add(bare);
        if (p.type() != null) {
          a.types.put(
              bare, stripGenerics(p.type().startsWith("...") ? p.type().substring(3) : p.type()));
        }
      }
    }

    /** The node carrying parameters and body: the def itself or the function it binds. */
    @Nullable TSNode functionNode(TSNode def) {
      if (present(def.getChildByFieldName("parameters"))
          || present(def.getChildByFieldName("parameter"))) {
        return def;
      }
      TSNode value = def.getChildByFieldName("value");
      if (present(value)
          && (present(value.getChildByFieldName("parameters"))
              || present(value.getChildByFieldName("parameter")))) {
        return value;
      }
      return null;
    }

    List<Param> pythonParams(@Nullable TSNode ps) {
      List<Param> out = new ArrayList<>();
      if (!present(ps)) {
        return out;
      }
      for (int i = 0; i < ps.getNamedChildCount(); i++) {
        TSNode p = ps.getNamedChild(i);
        String name;
        String type = null;
        String def = null;
        switch (p.getType()) {
          case "identifier" -> name = text(p);
          case "typed_parameter" -> {
            name = p.getNamedChildCount() > 0 ? text(p.getNamedChild(0)) : "";
            type = textOf(p.getChildByFieldName("type"));
          }
          case "default_parameter", "typed_default_parameter" -> {
            name = textOf(p.getChildByFieldName("name"));
            type = textOf(p.getChildByFieldName("type"));
            def = textOf(p.getChildByFieldName("value"));
          }
          case "list_splat_pattern", "dictionary_splat_pattern" -> name = text(p);
          default -> {
            continue;
          }
        }
        if (name == null || name.isEmpty()) {
          continue;
        }
        if (out.isEmpty() && i == 0 && (name.equals("self") || name.equals("cls"))) {
          continue;
        }
        out.add(new Param(name, type, def));
      }
      return out;
    }

    List<Param> jsParams(TSNode ps) {
      List<Param> out = new ArrayList<>();
      for (int i = 0; i < ps.getNamedChildCount(); i++) {
        TSNode p = ps.getNamedChild(i);
        switch (p.getType()) {
          case "identifier", "object_pattern", "array_pattern", "rest_pattern" ->
              out.add(new Param(text(p), null, null));
          case "assignment_pattern" ->
              out.add(
                  new Param(
                      textOf(p.getChildByFieldName("left")),
                      null,
                      textOf(p.getChildByFieldName("right"))));
          case "required_parameter", "optional_parameter" -> {
            TSNode pattern = p.getChildByFieldName("pattern");
            if (!present(pattern) || pattern.getType().equals("this")) {
              continue;
            }
            TSNode type = p.getChildByFieldName("type");
            String name = text(pattern) + (p.getType().equals("optional_parameter") ? "?" : "");
            out.add(
                new Param(
                    name,
                    present(type) ? typeText(type) : null,
                    textOf(p.getChildByFieldName("value"))));
          }
          default -> {}
        }
      }
      return out;
    }

    List<Param> javaParams(@Nullable TSNode ps) {
      List<Param> out = new ArrayList<>();
      if (!present(ps)) {
        return out;
      }
      for (int i = 0; i < ps.getNamedChildCount(); i++) {
        TSNode p = ps.getNamedChild(i);
        if (p.getType().equals("formal_parameter")) {
          out.add(
              new Param(
                  textOf(p.getChildByFieldName("name")),
                  textOf(p.getChildByFieldName("type")),
                  null));
        } else if (p.getType().equals("spread_parameter")) {
          String type = null;
          String name = null;
          for (int j = 0; j < p.getNamedChildCount(); j++) {
            TSNode c = p.getNamedChild(j);
            if (c.getType().equals("variable_declarator")) {
              name = textOf(c.getChildByFieldName("name"));
            } else if (!c.getType().equals("modifiers") && type == null) {
              type = text(c) + "...";
            }
          }
          if (name != null) {
            out.add(new Param(name, type, null));
          }
        }
      }
      return out;
    }

    List<Param> goParams(@Nullable TSNode ps) {
      List<Param> out = new ArrayList<>();
      if (!present(ps)) {
        return out;
      }
      for (int i = 0; i < ps.getNamedChildCount(); i++) {
        TSNode p = ps.getNamedChild(i);
        boolean variadic = p.getType().equals("variadic_parameter_declaration");
        if (!variadic && !p.getType().equals("parameter_declaration")) {
          continue;
        }
        String type = textOf(p.getChildByFieldName("type"));
        if (variadic && type != null) {
          type = "..." + type;
        }
        boolean named = false;
        for (int j = 0; j < p.getNamedChildCount(); j++) {
          TSNode c = p.getNamedChild(j);
          if (c.getType().equals("identifier")) {
            out.add(new Param(text(c), type, null));
            named = true;
          }
        }
        if (!named && type != null) {
          out.add(new Param("_", type, null));
        }
      }
      return out;
    }

    @Nullable String returnType(TSNode def) {
      TSNode fn = functionNode(def);
      if (fn == null) {
        return null;
      }
      return switch (lang) {
        case PYTHON -> textOf(fn.getChildByFieldName("return_type"));
        case JAVASCRIPT, TYPESCRIPT, TSX -> {
          TSNode t = fn.getChildByFieldName("return_type");
          yield present(t) ? typeText(t) : null;
        }
        case JAVA ->
            fn.getType().equals("method_declaration")
                ? textOf(fn.getChildByFieldName("type"))
                : null;
        case GO -> textOf(fn.getChildByFieldName("result"));
        default -> null;
      };
    }

    // ---- docstrings

    record Doc(String text, LineRange lines) {}

    @Nullable Doc doc(Site site) {
      if (lang == Language.PYTHON) {
        return pythonDoc(site.def());
      }
      boolean jsdocOnly =
          lang == Language.JAVA
              || lang == Language.JAVASCRIPT
              || lang == Language.TYPESCRIPT
              || lang == Language.TSX
              || lang == Language.CSHARP && false;
      List<TSNode> comments = new ArrayList<>();
      TSNode next = site.range();
      TSNode prev = site.range().getPrevNamedSibling();
      while (present(prev)) {
        String type = prev.getType();
        if (type.equals("attribute_item")
            || type.equals("attribute_list")
            || type.equals("decorator")) {
          next = prev;
          prev = prev.getPrevNamedSibling();
          continue;
        }
        if (!type.contains("comment")
            || next.getStartPoint().getRow() - prev.getEndPoint().getRow() > 1) {
          break;
        }
        comments.add(0, prev);
        next = prev;
        prev = prev.getPrevNamedSibling();
        if (jsdocOnly) {
          break;
        }
      }
      if (comments.isEmpty()) {
        return null;
      }
      if (jsdocOnly && !text(comments.get(0)).startsWith("/**")) {
        return null;
      }
      StringBuilder sb = new StringBuilder();
      for (TSNode c : comments) {
        sb.append(rawText(c)).append('\n');
      }
      String cleaned = stripCommentMarkers(sb.toString());
      if (cleaned.isEmpty()) {
        return null;
      }
      int first = comments.get(0).getStartPoint().getRow() + 1;
      TSNode lastNode = comments.get(comments.size() - 1);
      return new Doc(cleaned, new LineRange(first, endLine(lastNode)));
    }

    @Nullable Doc pythonDoc(TSNode def) {
      TSNode body = def.getChildByFieldName("body");
      if (!present(body) || body.getNamedChildCount() == 0) {
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
          sb.append(rawText(part));
        }
      }
      String cleaned = dedent(sb.toString());
      if (cleaned.isEmpty()) {
        return null;
      }
      return new Doc(cleaned, new LineRange(str.getStartPoint().getRow() + 1, endLine(str)));
    }

    // ---- finishing a span

    SpanFacts finish(int i) {
      Site site = sites.get(i);
      Acc a = acc[i];
      Doc doc = null;
      try {
        doc = doc(site);
      } catch (RuntimeException e) {
        log.debug("doc of span {} failed", i, e);
      }
      String returnType = null;
      try {
        returnType = returnType(site.def());
      } catch (RuntimeException e) {
        log.debug("return type of span {} failed", i, e);
      }
      int cls = enclosingClass(site.isClass() ? parent[i] : i);
      if (cls < 0 && lang == Language.GO && a.selfName != null) {
        cls = goStruct(a.types.get(a.selfName));
      }
      Map<String, String> fieldTypes = cls >= 0 ? acc[cls].types : Map.of();
      Set<String> paramNames = new HashSet<>();
      for (Param p : a.params) {
        paramNames.add(bareName(p.name()));
      }
      String self = selfName(a);

      List<Call> calls = new ArrayList<>(a.calls.size());
      List<SideEffect> effects = new ArrayList<>(a.effects);
      for (RawCall c : a.calls) {
        String receiverType = null;
        if (c.receiver() != null) {
          receiverType = typeOf(c.receiver(), a, fieldTypes, self);
        }
        calls.add(new Call(c.name(), c.receiver(), c.line(), receiverType));
        String canonical = canonical(c, a);
        SideEffectKind kind = SideEffectRules.forCall(lang, canonical, c.name());
        if (kind == null && c.receiver() != null) {
          kind = SideEffectRules.forReceiver(lang, c.receiver(), receiverType, c.name());
        }
        if (kind != null) {
          effects.add(new SideEffect(kind, canonical, c.line()));
        } else if (c.receiver() != null && SideEffectRules.MUTATORS.contains(c.name())) {
          SideEffectKind w =
              writeKind(rootOf(c.receiver()), c.receiver(), a, paramNames, self, fieldTypes);
          if (w != null) {
            effects.add(new SideEffect(w, c.receiver() + "." + c.name(), c.line()));
          }
        }
      }
      for (RawWrite w : a.writes) {
        SideEffectKind kind;
        if (w.whole()) {
          kind = globalWrite(w.root(), a) ? SideEffectKind.GLOBAL_WRITE : null;
          if (kind == null
              && lang == Language.JAVA
              && !a.locals.contains(w.root())
              && fieldTypes.containsKey(w.root())) {
            kind = SideEffectKind.FIELD_WRITE;
          }
          if (kind == null
              && (lang == Language.JAVASCRIPT
                  || lang == Language.TYPESCRIPT
                  || lang == Language.TSX
                  || lang == Language.GO)
              && !a.locals.contains(w.root())
              && module.locals.contains(w.root())) {
            kind = SideEffectKind.GLOBAL_WRITE;
          }
        } else {
          kind = writeKind(w.root(), w.text(), a, paramNames, self, fieldTypes);
        }
        if (kind != null) {
          effects.add(new SideEffect(kind, w.text(), w.line()));
        }
      }
      effects.sort((x, y) -> Integer.compare(x.line(), y.line()));
      // One candidate per kind and line: os.environ.get(...) is both a call and an environ read.
      Set<String> seenEffects = new HashSet<>();
      effects.removeIf(e -> !seenEffects.add(e.kind() + ":" + e.line()));
      return new SpanFacts(
          site.signature(),
          a.params,
          returnType,
          a.returns,
          a.raises,
          doc == null ? null : doc.text(),
          doc == null ? null : doc.lines(),
          calls,
          List.copyOf(new LinkedHashSet<>(effects)));
    }

    @Nullable String selfName(Acc a) {
      return switch (lang) {
        case PYTHON -> "self";
        case JAVASCRIPT, TYPESCRIPT, TSX, JAVA -> "this";
        case GO -> a.selfName;
        default -> null;
      };
    }

    boolean globalWrite(String root, Acc a) {
      if (lang == Language.PYTHON) {
        return a.globals.contains(root);
      }
      return false;
    }

    /** The kind of writing through {@code root} (not the root itself), or null when local. */
    @Nullable SideEffectKind writeKind(
        String root,
        String written,
        Acc a,
        Set<String> params,
        @Nullable String self,
        Map<String, String> fieldTypes) {
      if (root.equals(self) || (lang == Language.PYTHON && root.equals("cls"))) {
        return SideEffectKind.FIELD_WRITE;
      }
      if (params.contains(root)) {
        return SideEffectKind.PARAM_WRITE;
      }
      if (lang == Language.JAVA && !a.locals.contains(root) && fieldTypes.containsKey(root)) {
        return SideEffectKind.FIELD_WRITE;
      }
      if (a.globals.contains(root)) {
        return SideEffectKind.GLOBAL_WRITE;
      }
      if (!a.locals.contains(root) && module.locals.contains(root)) {
        return SideEffectKind.GLOBAL_WRITE;
      }
      return null;
    }

    /** The dotted name of a call with the receiver's import alias replaced by what it binds. */
    String canonical(RawCall c, Acc a) {
      String full = c.receiver() == null ? c.name() : c.receiver() + "." + c.name();
      if (c.isNew()) {
        return "new " + full;
      }
      full = full.replace("()", "").replace("?.", ".");
      String root = rootOf(full);
      if (a.locals.contains(root) && !aliases.containsKey(root)) {
        return full;
      }
      String bound = aliases.get(root);
      if (bound == null && lang == Language.PYTHON && c.receiver() != null) {
        // import a.b binds the dotted name itself
        for (int dot = full.lastIndexOf('.'); dot > 0; dot = full.lastIndexOf('.', dot - 1)) {
          String prefix = full.substring(0, dot);
          String b = aliases.get(prefix);
          if (b != null) {
            return b + full.substring(dot);
          }
        }
      }
      if (bound == null) {
        return full;
      }
      if (lang == Language.JAVA) {
        // java.nio.file.Files.write -> Files.write: the rules name classes by simple name
        return full;
      }
      if (lang == Language.GO) {
        return bound + full.substring(root.length());
      }
      return bound + full.substring(root.length());
    }

    /** The declared type of a receiver as written, looked up in the span and its class. */
    @Nullable String typeOf(
        String receiver, Acc a, Map<String, String> fieldTypes, @Nullable String self) {
      if (self != null && receiver.startsWith(self + ".")) {
        String field = receiver.substring(self.length() + 1);
        return fieldTypes.get(field);
      }
      String t = a.types.get(receiver);
      if (t != null) {
        return t;
      }
      if (lang == Language.JAVA && !a.locals.contains(receiver)) {
        return fieldTypes.get(receiver);
      }
      if (lang == Language.GO && receiver.contains(".") && a.selfName != null) {
        return null;
      }
      return null;
    }

    // ---- text helpers

    String text(@Nullable TSNode node) {
      if (node == null || node.isNull()) {
        return "";
      }
      int start = node.getStartByte();
      int end = Math.min(node.getEndByte(), utf8.length);
      if (start >= end) {
        return "";
      }
      String s = new String(utf8, start, end - start, StandardCharsets.UTF_8);
      if (s.indexOf('\n') >= 0 || s.indexOf('\t') >= 0 || s.contains("  ")) {
        s = s.replaceAll("\\s+", " ").strip();
      }
      return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }

    @Nullable String textOf(@Nullable TSNode node) {
      if (!present(node)) {
        return null;
      }
      String s = text(node);
      return s.isEmpty() ? null : s;
    }

    String typeText(TSNode annotation) {
      String s = text(annotation);
      return s.startsWith(":") ? s.substring(1).strip() : s;
    }

    String rawText(TSNode node) {
      int start = node.getStartByte();
      int end = Math.min(node.getEndByte(), utf8.length);
      return start >= end ? "" : new String(utf8, start, end - start, StandardCharsets.UTF_8);
    }
  }

  static boolean present(@Nullable TSNode n) {
    return n != null && !n.isNull();
  }

  static int endLine(TSNode node) {
    var end = node.getEndPoint();
    if (end.getColumn() == 0 && end.getRow() > node.getStartPoint().getRow()) {
      return end.getRow();
    }
    return end.getRow() + 1;
  }

  static String rootOf(String dotted) {
    int i = 0;
    while (i < dotted.length()
        && (Character.isJavaIdentifierPart(dotted.charAt(i)) || dotted.charAt(i) == '$')) {
      i++;
    }
    return i == 0 ? dotted : dotted.substring(0, i);
  }

  /** {@code List<Foo>} -> {@code List}, {@code *pkg.Repo} -> {@code pkg.Repo}. */
  static String stripGenerics(String type) {
    String t = type.strip();
    int lt = indexOfAny(t, "<[(");
    if (lt > 0) {
      t = t.substring(0, lt);
    }
    int from = 0;
    while (from < t.length()
        && (t.charAt(from) == '&'
            || t.charAt(from) == '*'
            || Character.isWhitespace(t.charAt(from)))) {
      from++;
    }
    t = t.substring(from);
    if (t.endsWith("[]")) {
      t = t.substring(0, t.length() - 2);
    }
    return t.strip();
  }

  /** A parameter's name without splat, variadic and optional marks: *args -> args, x? -> x. */
  static String bareName(String name) {
    int from = 0;
    while (from < name.length() && (name.charAt(from) == '*' || name.charAt(from) == '.')) {
      from++;
    }
    int to = name.endsWith("?") ? name.length() - 1 : name.length();
    return from >= to ? name : name.substring(from, to);
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2
        && "'\"`".indexOf(t.charAt(0)) >= 0
        && t.charAt(t.length() - 1) == t.charAt(0)) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  /** A comment's text without its markers ({@code /** * * /}, {@code //}, {@code #}). */
  static String stripCommentMarkers(String raw) {
    List<String> lines = new ArrayList<>();
    for (String line : raw.split("\r?\n")) {
      String l = line.strip();
      l = l.replaceFirst("^/\\*+", "").replaceFirst("\\*+/$", "");
      l = l.strip().replaceFirst("^(///?|//!|\\*|#+|--)\\s?", "");
      lines.add(l.stripTrailing());
    }
    return trimBlankLines(lines);
  }

  /** A docstring's text with its common indentation removed, as Python's inspect.cleandoc does. */
  static String dedent(String raw) {
    String[] lines = raw.split("\r?\n", -1);
    int indent = Integer.MAX_VALUE;
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (!l.isBlank()) {
        int k = 0;
        while (k < l.length() && Character.isWhitespace(l.charAt(k))) {
          k++;
        }
        indent = Math.min(indent, k);
      }
    }
    List<String> out = new ArrayList<>();
    out.add(lines[0].strip());
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      out.add(
          indent == Integer.MAX_VALUE || l.length() < indent
              ? l.strip()
              : l.substring(indent).stripTrailing());
    }
    return trimBlankLines(out);
  }

  private static String trimBlankLines(List<String> lines) {
    int from = 0;
    int to = lines.size();
    while (from < to && lines.get(from).isBlank()) {
      from++;
    }
    while (to > from && lines.get(to - 1).isBlank()) {
      to--;
    }
    return String.join("\n", lines.subList(from, to));
  }
}
