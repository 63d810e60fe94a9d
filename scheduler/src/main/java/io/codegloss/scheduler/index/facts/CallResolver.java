package io.codegloss.scheduler.index.facts;

import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SpanFacts.Call;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a call as written into the span it calls, using only the repository's symbol table and the
 * caller file's imports: same class through self/this, same file, imported names and modules, same
 * package (Java, Go), declared receiver types and qualified names. No database, no state beyond the
 * table: resolving a call is a pure function of (call, caller's file imports, symbol table), so an
 * indexer can rebuild the table after a run and re-resolve only the calls that could have changed.
 *
 * <p>Precision comes before recall: whenever two spans could be meant (two same-named functions,
 * overloads, two files matching an import), the call stays unresolved.
 */
public final class CallResolver {

  /**
   * One span of the repository.
   *
   * @param path the file's path relative to the repository root, with {@code /}
   * @param kind {@code function}, {@code method} or {@code class}
   * @param symbol the dotted name within its file: {@code User.set_email}
   * @param parentSymbol the enclosing span's symbol, or null at top level
   */
  public record SymbolRow(
      long spanId,
      String path,
      String language,
      String kind,
      String name,
      String symbol,
      @Nullable String parentSymbol) {}

  /**
   * A call to resolve, with what is known about its caller.
   *
   * @param callerSignature the caller's signature; names a Go method's receiver variable
   */
  public record CallSite(
      long fromSpanId,
      String callerPath,
      String language,
      String callerSymbol,
      @Nullable String callerSignature,
      Call call) {}

  private static final Pattern GO_RECEIVER =
      Pattern.compile("^func\\s*\\(\\s*(\\w+)\\s+\\*?\\s*([\\w.]+)");

  private static final List<String> JS_EXTENSIONS =
      List.of(".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts");

  /** path -> symbol -> rows (more than one row means ambiguous). */
  private final Map<String, Map<String, List<SymbolRow>>> byFile = new HashMap<>();

  /** directory -> symbol -> rows: Go packages and Java packages are directories. */
  private final Map<String, Map<String, List<SymbolRow>>> byDir = new HashMap<>();

  private final Set<String> dirs = new HashSet<>();
  private final Map<String, List<FileImport>> imports;
  private final Map<String, @Nullable String> suffixMemo = new HashMap<>();
  private final Map<String, @Nullable String> goMemo = new HashMap<>();

  /**
   * @param symbols every span of the repository
   * @param importsByPath the imports of (at least) the files whose calls will be resolved
   */
  public CallResolver(Collection<SymbolRow> symbols, Map<String, List<FileImport>> importsByPath) {
    for (SymbolRow r : symbols) {
      byFile
          .computeIfAbsent(r.path(), p -> new HashMap<>())
          .computeIfAbsent(r.symbol(), s -> new ArrayList<>(1))
          .add(r);
      String dir = dirOf(r.path());
      dirs.add(dir);
      byDir
          .computeIfAbsent(dir, d -> new HashMap<>())
          .computeIfAbsent(r.symbol(), s -> new ArrayList<>(1))
          .add(r);
    }
    this.imports = importsByPath;
  }

  /** The span id the call goes to, or null when it cannot be told without guessing. */
  public @Nullable Long resolve(CallSite site) {
    SymbolRow row =
        switch (site.language()) {
          case "python" -> python(site);
          case "javascript", "typescript", "tsx" -> javascript(site);
          case "java" -> java(site);
          case "go" -> go(site);
          default -> sameFileOnly(site);
        };
    return row == null ? null : row.spanId();
  }

  // ---- Python

  private @Nullable SymbolRow python(CallSite site) {
    Call c = site.call();
    String path = site.callerPath();
    String recv = c.receiver();
    if (recv == null) {
      SymbolRow local = enclosingScopes(path, site.callerSymbol(), c.name());
      if (local != null) {
        return local;
      }
      SymbolRow top = one(path, c.name());
      if (top != null) {
        return top;
      }
      for (FileImport imp : importsOf(path)) {
        if (imp.name() != null && imp.alias().equals(c.name())) {
          String file = pythonModule(path, imp.module());
          return file == null ? null : one(file, imp.name());
        }
      }
      return null;
    }
    if (recv.equals("self") || recv.equals("cls")) {
      String cls = enclosingClass(path, site.callerSymbol());
      return cls == null ? null : one(path, cls + "." + c.name());
    }
    if (c.receiverType() != null) {
      SymbolRow type = pythonName(path, c.receiverType());
      if (type != null) {
        return method(type, c.name());
      }
    }
    // A module or a class reached by an import or by its name in this file.
    SymbolRow sameFileClass = one(path, recv);
    if (sameFileClass != null) {
      return method(sameFileClass, c.name());
    }
    for (FileImport imp : importsOf(path)) {
      if (imp.name() == null && imp.alias().equals(recv)) {
        String file = pythonModule(path, imp.module());
        return file == null ? null : one(file, c.name());
      }
      if (imp.name() != null && imp.alias().equals(recv)) {
        String module = pythonModule(path, joinPython(imp.module(), imp.name()));
        if (module != null) {
          return one(module, c.name());
        }
        String file = pythonModule(path, imp.module());
        SymbolRow cls = file == null ? null : one(file, imp.name());
        return cls == null ? null : method(cls, c.name());
      }
    }
    // import a.b binds a; a.b.f() names the module a.b by its full path.
    for (FileImport imp : importsOf(path)) {
      if (imp.name() == null && recv.startsWith(imp.alias() + ".")) {
        String file = pythonModule(path, imp.module() + recv.substring(imp.alias().length()));
        if (file != null) {
          return one(file, c.name());
        }
      }
    }
    return null;
  }

  /** A top-level name of a Python file or one it imports: a class for a receiver type. */
  private @Nullable SymbolRow pythonName(String path, String name) {
    SymbolRow here = one(path, name);
    if (here != null) {
      return here;
    }
    int dot = name.lastIndexOf('.');
    String head = dot < 0 ? name : name.substring(0, dot);
    String tail = dot < 0 ? name : name.substring(dot + 1);
    for (FileImport imp : importsOf(path)) {
      if (dot < 0 && imp.name() != null && imp.alias().equals(name)) {
        String file = pythonModule(path, imp.module());
        return file == null ? null : one(file, imp.name());
      }
      if (dot >= 0 && imp.name() == null && imp.alias().equals(head)) {
        String file = pythonModule(path, imp.module());
        return file == null ? null : one(file, tail);
      }
      if (dot >= 0 && imp.name() != null && imp.alias().equals(head)) {
        String file = pythonModule(path, joinPython(imp.module(), imp.name()));
        return file == null ? null : one(file, tail);
      }
    }
    return null;
  }

  private static String joinPython(String module, String name) {
    return module.endsWith(".") ? module + name : module + "." + name;
  }

  /** The file of a Python module, absolute ({@code a.b}) or relative ({@code ..a}), or null. */
  private @Nullable String pythonModule(String callerPath, String module) {
    if (module.startsWith(".")) {
      int dots = 0;
      while (dots < module.length() && module.charAt(dots) == '.') {
        dots++;
      }
      String dir = dirOf(callerPath);
      for (int i = 1; i < dots; i++) {
        dir = dirOf(dir);
      }
      String rest = module.substring(dots).replace('.', '/');
      String base = rest.isEmpty() ? dir : join(dir, rest);
      if (rest.isEmpty()) {
        return byFile.containsKey(join(base, "__init__.py")) ? join(base, "__init__.py") : null;
      }
      return firstFile(base + ".py", join(base, "__init__.py"));
    }
    String rel = module.replace('.', '/');
    String exact = firstFile(rel + ".py", rel + "/__init__.py");
    if (exact != null) {
      return exact;
    }
    // The repository may keep its packages under src/ or similar: accept one unique suffix.
    return uniqueSuffix("/" + rel + ".py", "/" + rel + "/__init__.py");
  }

  // ---- JavaScript and TypeScript

  private @Nullable SymbolRow javascript(CallSite site) {
    Call c = site.call();
    String path = site.callerPath();
    String recv = c.receiver();
    if (recv == null) {
      SymbolRow local = enclosingScopes(path, site.callerSymbol(), c.name());
      if (local != null) {
        return local;
      }
      SymbolRow top = one(path, c.name());
      if (top != null) {
        return top;
      }
      for (FileImport imp : importsOf(path)) {
        if (imp.name() != null && imp.alias().equals(c.name())) {
          String file = jsModule(path, imp.module());
          if (file == null) {
            return null;
          }
          return one(file, imp.name().equals("default") ? imp.alias() : imp.name());
        }
      }
      return null;
    }
    if (recv.equals("this")) {
      String cls = enclosingClass(path, site.callerSymbol());
      return cls == null ? null : one(path, cls + "." + c.name());
    }
    if (c.receiverType() != null) {
      SymbolRow type = jsName(path, c.receiverType());
      if (type != null) {
        return method(type, c.name());
      }
    }
    SymbolRow sameFileClass = one(path, recv);
    if (sameFileClass != null) {
      return method(sameFileClass, c.name());
    }
    for (FileImport imp : importsOf(path)) {
      if (!imp.alias().equals(recv)) {
        continue;
      }
      String file = jsModule(path, imp.module());
      if (file == null) {
        return null;
      }
      if (imp.name() == null) {
        return one(file, c.name());
      }
      SymbolRow cls = one(file, imp.name().equals("default") ? imp.alias() : imp.name());
      return cls == null ? null : method(cls, c.name());
    }
    return null;
  }

  private @Nullable SymbolRow jsName(String path, String name) {
    SymbolRow here = one(path, name);
    if (here != null) {
      return here;
    }
    for (FileImport imp : importsOf(path)) {
      if (imp.name() != null && imp.alias().equals(name)) {
        String file = jsModule(path, imp.module());
        return file == null ? null : one(file, imp.name().equals("default") ? name : imp.name());
      }
    }
    return null;
  }

  /** The file a relative import names; packages (no leading dot) are outside the repository. */
  private @Nullable String jsModule(String callerPath, String module) {
    if (!module.startsWith(".")) {
      return null;
    }
    String base = normalize(join(dirOf(callerPath), module));
    if (byFile.containsKey(base)) {
      return base;
    }
    String stem = base.replaceFirst("\\.(m|c)?jsx?$", "");
    List<String> candidates = new ArrayList<>();
    for (String ext : JS_EXTENSIONS) {
      candidates.add(stem + ext);
    }
    for (String ext : JS_EXTENSIONS) {
      candidates.add(stem + "/index" + ext);
    }
    return firstFile(candidates.toArray(String[]::new));
  }

  // ---- Java

  private @Nullable SymbolRow java(CallSite site) {
    Call c = site.call();
    String path = site.callerPath();
    String recv = c.receiver();
    if (recv == null) {
      if (Character.isUpperCase(c.name().charAt(0))) {
        SymbolRow type = javaType(path, c.name());
        if (type != null) {
          return type;
        }
      }
      // Own methods, then those of enclosing classes.
      for (String cls = enclosingClass(path, site.callerSymbol());
          cls != null;
          cls = enclosingClass(path, parentOf(cls))) {
        List<SymbolRow> rows = rows(path, cls + "." + c.name());
        if (!rows.isEmpty()) {
          return rows.size() == 1 ? rows.get(0) : null;
        }
      }
      for (FileImport imp : importsOf(path)) {
        if (imp.name() != null && imp.alias().equals(c.name())) {
          SymbolRow cls = javaClassFile(imp.module());
          return cls == null ? null : method(cls, c.name());
        }
      }
      return null;
    }
    if (recv.equals("this")) {
      String cls = enclosingClass(path, site.callerSymbol());
      return cls == null ? null : one(path, cls + "." + c.name());
    }
    String typeName = c.receiverType();
    if (typeName == null && !recv.isEmpty() && Character.isUpperCase(recv.charAt(0))) {
      typeName = recv;
    }
    if (typeName != null) {
      SymbolRow type = javaType(path, typeName);
      if (type != null) {
        return method(type, c.name());
      }
    }
    return null;
  }

  /** A class by the name a Java file uses for it. */
  private @Nullable SymbolRow javaType(String path, String typeName) {
    if (typeName.contains(".")) {
      SymbolRow qualified = javaClassFile(typeName);
      if (qualified != null) {
        return qualified;
      }
    }
    String simple = typeName.substring(typeName.lastIndexOf('.') + 1);
    List<SymbolRow> here = classesNamed(path, simple);
    if (here.size() == 1) {
      return here.get(0);
    }
    if (here.size() > 1) {
      return null;
    }
    for (FileImport imp : importsOf(path)) {
      if (simple.equals(imp.name())) {
        return javaClassFile(imp.module() + "." + simple);
      }
    }
    // Same package: a class of that name in the caller's directory.
    List<SymbolRow> pkg = new ArrayList<>();
    Map<String, List<SymbolRow>> inDir = byDir.getOrDefault(dirOf(path), Map.of());
    for (SymbolRow r : inDir.getOrDefault(simple, List.of())) {
      if (r.kind().equals("class") && r.language().equals("java")) {
        pkg.add(r);
      }
    }
    if (pkg.size() == 1) {
      return pkg.get(0);
    }
    if (!pkg.isEmpty()) {
      return null;
    }
    for (FileImport imp : importsOf(path)) {
      if ("*".equals(imp.name())) {
        SymbolRow r = javaClassFile(imp.module() + "." + simple);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** The top-level class {@code com.acme.Repo} in a file ending {@code com/acme/Repo.java}. */
  private @Nullable SymbolRow javaClassFile(String qualified) {
    String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
    String file = uniqueSuffix("/" + qualified.replace('.', '/') + ".java");
    if (file == null && byFile.containsKey(qualified.replace('.', '/') + ".java")) {
      file = qualified.replace('.', '/') + ".java";
    }
    return file == null ? null : one(file, simple);
  }

  private List<SymbolRow> classesNamed(String path, String simple) {
    List<SymbolRow> out = new ArrayList<>();
    for (Map.Entry<String, List<SymbolRow>> e : byFile.getOrDefault(path, Map.of()).entrySet()) {
      String sym = e.getKey();
      if (sym.equals(simple) || sym.endsWith("." + simple)) {
        for (SymbolRow r : e.getValue()) {
          if (r.kind().equals("class")) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  // ---- Go

  private @Nullable SymbolRow go(CallSite site) {
    Call c = site.call();
    String path = site.callerPath();
    String dir = dirOf(path);
    String recv = c.receiver();
    if (recv == null) {
      return oneInDir(dir, c.name());
    }
    String type = c.receiverType();
    if (type == null && site.callerSignature() != null) {
      Matcher m = GO_RECEIVER.matcher(site.callerSignature());
      if (m.find() && m.group(1).equals(recv)) {
        type = m.group(2);
      }
    }
    if (type != null) {
      int dot = type.indexOf('.');
      if (dot < 0) {
        return oneInDir(dir, type + "." + c.name());
      }
      String pkgDir = goPackage(path, type.substring(0, dot));
      return pkgDir == null ? null : oneInDir(pkgDir, type.substring(dot + 1) + "." + c.name());
    }
    if (recv.matches("\\w+")) {
      String pkgDir = goPackage(path, recv);
      if (pkgDir != null) {
        return oneInDir(pkgDir, c.name());
      }
    }
    return null;
  }

  /** The repository directory an import alias of a Go file names, or null. */
  private @Nullable String goPackage(String path, String alias) {
    for (FileImport imp : importsOf(path)) {
      if (!imp.alias().equals(alias)) {
        continue;
      }
      String module = imp.module();
      if (goMemo.containsKey(module)) {
        return goMemo.get(module);
      }
      String dir = goDirectory(module);
      goMemo.put(module, dir);
      return dir;
    }
    return null;
  }

  private @Nullable String goDirectory(String module) {
    {
      String[] segs = module.split("/");
      // The longest tail of the import path that names exactly one directory wins.
      for (int from = 0; from < segs.length; from++) {
        String tail = String.join("/", java.util.Arrays.copyOfRange(segs, from, segs.length));
        List<String> found = new ArrayList<>();
        for (String d : dirs) {
          if (d.equals(tail) || d.endsWith("/" + tail)) {
            found.add(d);
          }
        }
        if (found.size() == 1) {
          return found.get(0);
        }
        if (found.size() > 1) {
          return null;
        }
      }
      return null;
    }
  }

  private @Nullable SymbolRow oneInDir(String dir, String symbol) {
    List<SymbolRow> rows = byDir.getOrDefault(dir, Map.of()).getOrDefault(symbol, List.of());
    return rows.size() == 1 ? rows.get(0) : null;
  }

  // ---- other languages: what one file says

  private @Nullable SymbolRow sameFileOnly(CallSite site) {
    Call c = site.call();
    String path = site.callerPath();
    String recv = c.receiver();
    if (recv == null) {
      SymbolRow local = enclosingScopes(path, site.callerSymbol(), c.name());
      return local != null ? local : one(path, c.name());
    }
    if (recv.equals("self") || recv.equals("this") || recv.equals("Self")) {
      String cls = enclosingClass(path, site.callerSymbol());
      return cls == null ? null : one(path, cls + "." + c.name());
    }
    SymbolRow cls = one(path, recv);
    return cls == null ? null : method(cls, c.name());
  }

  // ---- shared helpers

  /** A function nested in the caller or in one of its enclosing functions. */
  private @Nullable SymbolRow enclosingScopes(String path, String callerSymbol, String name) {
    for (String scope = callerSymbol; scope != null; scope = parentOf(scope)) {
      SymbolRow r = one(path, scope + "." + name);
      if (r != null && !r.kind().equals("method")) {
        return r;
      }
      if (r != null) {
        return null;
      }
    }
    return null;
  }

  /** The symbol of the class a span is in (the span itself when it is one), or null. */
  private @Nullable String enclosingClass(String path, @Nullable String symbol) {
    for (String s = symbol; s != null; s = parentOf(s)) {
      List<SymbolRow> rows = rows(path, s);
      if (rows.size() == 1 && rows.get(0).kind().equals("class")) {
        return s;
      }
    }
    return null;
  }

  private static @Nullable String parentOf(@Nullable String symbol) {
    if (symbol == null) {
      return null;
    }
    int dot = symbol.lastIndexOf('.');
    return dot < 0 ? null : symbol.substring(0, dot);
  }

  /** A method of a class span, in the class's own file. */
  private @Nullable SymbolRow method(SymbolRow cls, String name) {
    if (!cls.kind().equals("class")) {
      return null;
    }
    return one(cls.path(), cls.symbol() + "." + name);
  }

  private List<SymbolRow> rows(String path, String symbol) {
    return byFile.getOrDefault(path, Map.of()).getOrDefault(symbol, List.of());
  }

  private @Nullable SymbolRow one(String path, String symbol) {
    List<SymbolRow> rows = rows(path, symbol);
    return rows.size() == 1 ? rows.get(0) : null;
  }

  private List<FileImport> importsOf(String path) {
    return imports.getOrDefault(path, List.of());
  }

  private @Nullable String firstFile(String... candidates) {
    for (String c : candidates) {
      if (byFile.containsKey(c)) {
        return c;
      }
    }
    return null;
  }

  /** The one file whose path ends with one of the suffixes, or null (none or several). */
  private @Nullable String uniqueSuffix(String... suffixes) {
    String key = String.join("\0", suffixes);
    if (suffixMemo.containsKey(key)) {
      return suffixMemo.get(key);
    }
    String found = scanSuffix(suffixes);
    suffixMemo.put(key, found);
    return found;
  }

  private @Nullable String scanSuffix(String... suffixes) {
    String found = null;
    for (String p : byFile.keySet()) {
      for (String s : suffixes) {
        if (p.endsWith(s) || ("/" + p).equals(s)) {
          if (found != null && !found.equals(p)) {
            return null;
          }
          found = p;
        }
      }
    }
    return found;
  }

  static String dirOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String join(String dir, String rest) {
    return dir.isEmpty() ? rest : dir + "/" + rest;
  }

  /** Resolves {@code .} and {@code ..} segments of a relative path. */
  static String normalize(String path) {
    List<String> out = new ArrayList<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      out.add(seg);
    }
    return String.join("/", out);
  }
}
