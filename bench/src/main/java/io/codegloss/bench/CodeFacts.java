package io.codegloss.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What can be known about spans without a judge model, by scanning identifiers in their code. The
 * benchmark scores enrichments against these facts (see {@code bench/README.md}, "Quality").
 *
 * <p><b>Relationships.</b> Comments and string literals are removed, and so are the lines of any
 * span nested inside (a class is judged by its own lines, not its methods' bodies). Then every
 * {@code name(} that is not a definition is a call:
 *
 * <ul>
 *   <li>{@code self.name(}, {@code cls.name(}, {@code this.name(}: methods of the same class;
 *   <li>a bare {@code name(}: top-level functions and classes of the file, and in languages other
 *       than Python also methods of the same class;
 *   <li>{@code other.name(}: any method of the file with that name.
 * </ul>
 *
 * The true set of a span is every same-file span it calls or that calls it, except itself and spans
 * that contain it or that it contains (structure, not a relationship).
 *
 * <p><b>Completeness</b> (functions and methods; classes are not scored):
 *
 * <ul>
 *   <li>has parameters: the parameter list is not empty once {@code self}, {@code cls}, {@code *},
 *       {@code /} and {@code void} are left out;
 *   <li>returns: a {@code return} with a value (not {@code return}, {@code return None}, {@code
 *       return;}) or a {@code yield};
 *   <li>side effects: I/O (print, open, input, os/sys/shutil/subprocess/socket/logging calls,
 *       {@code .write(}, {@code .flush(}, console/fs calls of JS, Go, Java) or mutation of state
 *       that outlives the call: assignment to an attribute or item of a parameter, {@code self},
 *       {@code cls} or {@code this}, an in-place mutator ({@code append}, {@code pop}, {@code
 *       update}, ...) called on one of those, or {@code global}/{@code nonlocal}/{@code del}.
 * </ul>
 */
public final class CodeFacts {

  /** One span as the scan needs it. */
  public record SpanCode(
      long id,
      long fileId,
      @Nullable Long parentId,
      String kind,
      String name,
      String language,
      int startLine,
      int endLine,
      String code) {}

  /** The completeness facts of one span. */
  public record Facts(boolean hasParameters, boolean returnsValue, boolean sideEffects) {}

  private static final Pattern CALL =
      Pattern.compile(
          "(?:\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\.\\s*)?\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
  private static final Set<String> DEFINERS =
      Set.of("def", "class", "function", "func", "fn", "new", "struct", "interface");
  private static final Set<String> SELF = Set.of("self", "cls", "this");
  private static final Set<String> KEYWORDS =
      Set.of(
          "if", "for", "while", "return", "switch", "catch", "elif", "and", "or", "not", "in",
          "print", "yield", "lambda", "assert", "with", "except", "sizeof", "typeof");

  private static final Pattern IO =
      Pattern.compile(
          "\\b(print|open|input|os\\.[a-z_]+|sys\\.(stdout|stderr|stdin|exit)|shutil\\.[a-z_]+"
              + "|subprocess\\.[a-z_]+|socket\\.[a-z_]+|logging\\.[a-z_]+|log(ger)?\\.(debug|info|"
              + "warn|warning|error)|time\\.sleep|console\\.[a-z]+|fs\\.[A-Za-z]+|fmt\\.(Print"
              + "|Fprint)[a-z]*|System\\.(out|err)|Files\\.[a-z]+)\\s*\\(|\\.(write|writelines|"
              + "flush|send|sendall|recv|unlink|mkdir)\\s*\\(");
  private static final Pattern MUTATOR =
      Pattern.compile(
          "\\b([A-Za-z_][A-Za-z0-9_]*)(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[[^\\]\\n]*\\])*\\.(append|"
              + "extend|insert|pop|popleft|appendleft|remove|clear|update|add|discard|sort|reverse"
              + "|setdefault|put|push|set|delete|splice|shift|unshift)\\s*\\(");
  private static final Pattern ASSIGN =
      Pattern.compile(
          "(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*)((?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[[^\\]\\n]*\\])+)"
              + "\\s*(?:[-+*/|&%^]|<<|>>|//)?=(?!=)");
  private static final Pattern GLOBAL = Pattern.compile("(?m)^\\s*(global|nonlocal|del)\\s");
  private static final Pattern RETURN_VALUE =
      Pattern.compile("(?m)\\breturn\\b[ \\t]*(?!None\\s*$)(?![;\\n#}])(?!$)\\S");
  private static final Pattern YIELD = Pattern.compile("\\byield\\b");

  private CodeFacts() {}

  // ---------------------------------------------------------------- relationships

  /**
   * The true related set of every span: same-file spans it calls or that call it, keyed by span id.
   * Spans of other files are never in it.
   */
  public static Map<Long, Set<Long>> relationships(List<SpanCode> spans) {
    Map<Long, List<SpanCode>> byFile = new HashMap<>();
    for (SpanCode s : spans) {
      byFile.computeIfAbsent(s.fileId(), k -> new ArrayList<>()).add(s);
    }
    Map<Long, Set<Long>> truth = new HashMap<>();
    for (SpanCode s : spans) {
      truth.put(s.id(), new LinkedHashSet<>());
    }
    for (List<SpanCode> file : byFile.values()) {
      for (SpanCode from : file) {
        for (long to : calls(from, file)) {
          truth.get(from.id()).add(to);
          truth.get(to).add(from.id());
        }
      }
    }
    return truth;
  }

  /** Same-file spans that {@code from} calls (see the class comment). */
  static Set<Long> calls(SpanCode from, List<SpanCode> file) {
    String own = stripCommentsAndStrings(ownCode(from, file), from.language());
    boolean python = from.language().toLowerCase(Locale.ROOT).equals("python");
    Long classId = classOf(from, file);
    Set<Long> out = new LinkedHashSet<>();
    Matcher m = CALL.matcher(own);
    while (m.find()) {
      String receiver = m.group(1);
      String name = m.group(2);
      if (KEYWORDS.contains(name) || isDefinition(own, m.start(2))) {
        continue;
      }
      for (SpanCode to : file) {
        if (to.id() == from.id() || !to.name().equals(name) || nested(from, to)) {
          continue;
        }
        boolean method = to.kind().equals("method");
        boolean sameClass = method && classId != null && classId.equals(to.parentId());
        boolean match;
        if (receiver == null) {
          match = !method || (!python && sameClass);
        } else if (SELF.contains(receiver)) {
          match = sameClass || (method && classId == null);
        } else {
          match = method;
        }
        if (match) {
          out.add(to.id());
        }
      }
    }
    return out;
  }

  private static @Nullable Long classOf(SpanCode s, List<SpanCode> file) {
    if (s.kind().equals("class")) {
      return s.id();
    }
    return s.parentId();
  }

  /** True when one of the two contains the other. */
  static boolean nested(SpanCode a, SpanCode b) {
    return contains(a, b) || contains(b, a);
  }

  private static boolean contains(SpanCode outer, SpanCode inner) {
    return outer.id() != inner.id()
        && outer.startLine() <= inner.startLine()
        && inner.endLine() <= outer.endLine()
        && (outer.startLine() != inner.startLine() || outer.endLine() != inner.endLine());
  }

  /** The span's code without the lines of spans nested inside it. */
  static String ownCode(SpanCode s, List<SpanCode> file) {
    String[] lines = s.code().split("\n", -1);
    boolean[] drop = new boolean[lines.length];
    for (SpanCode other : file) {
      if (contains(s, other)) {
        for (int line = other.startLine(); line <= other.endLine(); line++) {
          int i = line - s.startLine();
          if (i >= 0 && i < lines.length) {
            drop[i] = true;
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      sb.append(drop[i] ? "" : lines[i]).append('\n');
    }
    return sb.toString();
  }

  private static boolean isDefinition(String code, int nameStart) {
    int i = nameStart - 1;
    while (i >= 0 && (code.charAt(i) == ' ' || code.charAt(i) == '\t')) {
      i--;
    }
    int end = i + 1;
    while (i >= 0 && Character.isLetter(code.charAt(i))) {
      i--;
    }
    return DEFINERS.contains(code.substring(i + 1, end));
  }

  /**
   * Removes comments and string literals, keeping line breaks so that line positions survive:
   * {@code #} comments and single, double and triple quotes for Python; {@code //}, {@code /* } and
   * quotes for the others.
   */
  static String stripCommentsAndStrings(String code, String language) {
    boolean python = language.toLowerCase(Locale.ROOT).equals("python");
    StringBuilder out = new StringBuilder(code.length());
    int i = 0;
    int n = code.length();
    while (i < n) {
      char c = code.charAt(i);
      if (python && c == '#' || !python && c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
        while (i < n && code.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (!python && c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
        int close = code.indexOf("*/", i + 2);
        int stop = close < 0 ? n : close + 2;
        keepNewlines(code, i, stop, out);
        i = stop;
        continue;
      }
      if (c == '"' || c == '\'' || (!python && c == '`')) {
        String quote = String.valueOf(c);
        if (python && code.startsWith(quote.repeat(3), i)) {
          quote = quote.repeat(3);
        }
        int j = i + quote.length();
        while (j < n && !code.startsWith(quote, j)) {
          if (code.charAt(j) == '\\') {
            j++;
          } else if (quote.length() == 1 && c != '`' && code.charAt(j) == '\n') {
            break;
          }
          j++;
        }
        int stop = Math.min(n, j + quote.length());
        out.append("\"\"");
        keepNewlines(code, i, stop, out);
        i = stop;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static void keepNewlines(String code, int from, int to, StringBuilder out) {
    for (int k = from; k < to && k < code.length(); k++) {
      if (code.charAt(k) == '\n') {
        out.append('\n');
      }
    }
  }

  // ---------------------------------------------------------------- completeness

  /** Completeness facts of a function or method; {@code null} for classes (not scored). */
  public static @Nullable Facts facts(SpanCode s, List<SpanCode> file) {
    if (s.kind().equals("class")) {
      return null;
    }
    String own = stripCommentsAndStrings(ownCode(s, file), s.language());
    List<String> params = parameters(own, s.name());
    boolean returns = RETURN_VALUE.matcher(own).find() || YIELD.matcher(own).find();
    return new Facts(!params.isEmpty(), returns, sideEffects(own, params));
  }

  /** Parameter names of the first parameter list after {@code name}, without self/cls/void. */
  static List<String> parameters(String code, String name) {
    int at = code.indexOf(name);
    int open = code.indexOf('(', at < 0 ? 0 : at);
    if (open < 0) {
      return List.of();
    }
    int depth = 0;
    int close = -1;
    for (int i = open; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
        if (depth == 0) {
          close = i;
          break;
        }
      }
    }
    if (close < 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String raw : splitTopLevel(code.substring(open + 1, close))) {
      String p = raw.strip();
      int eq = p.indexOf('=');
      if (eq >= 0) {
        p = p.substring(0, eq);
      }
      int colon = p.indexOf(':');
      if (colon >= 0) {
        p = p.substring(0, colon);
      }
      p = p.replace("*", "").strip();
      String[] words = p.split("\\s+");
      String last = words[words.length - 1].replaceAll("[^A-Za-z0-9_]", "");
      if (last.isEmpty() || last.equals("void") || SELF.contains(last) || p.equals("/")) {
        continue;
      }
      out.add(last);
    }
    return out;
  }

  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == '[' || c == '{' || c == '<') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}' || c == '>') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  static boolean sideEffects(String own, List<String> params) {
    if (IO.matcher(own).find() || GLOBAL.matcher(own).find()) {
      return true;
    }
    Set<String> shared = new HashSet<>(params);
    shared.addAll(SELF);
    Matcher m = MUTATOR.matcher(own);
    while (m.find()) {
      if (shared.contains(m.group(1))) {
        return true;
      }
    }
    Matcher a = ASSIGN.matcher(own);
    while (a.find()) {
      if (shared.contains(a.group(1))) {
        return true;
      }
    }
    return false;
  }
}
