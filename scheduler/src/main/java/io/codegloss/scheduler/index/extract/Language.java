package io.codegloss.scheduler.index.extract;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.treesitter.TSLanguage;
import org.treesitter.TreeSitterC;
import org.treesitter.TreeSitterCSharp;
import org.treesitter.TreeSitterCpp;
import org.treesitter.TreeSitterGo;
import org.treesitter.TreeSitterJava;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterRuby;
import org.treesitter.TreeSitterRust;
import org.treesitter.TreeSitterTsx;
import org.treesitter.TreeSitterTypescript;

/** The languages codegloss indexes, each with its grammar and its tags-style query resource. */
public enum Language {
  PYTHON("python", List.of(".py", ".pyw"), TreeSitterPython::new),
  JAVASCRIPT("javascript", List.of(".js", ".mjs", ".cjs", ".jsx"), TreeSitterJavascript::new),
  TYPESCRIPT("typescript", List.of(".ts", ".mts", ".cts"), TreeSitterTypescript::new),
  TSX("tsx", List.of(".tsx"), TreeSitterTsx::new),
  GO("go", List.of(".go"), TreeSitterGo::new),
  RUST("rust", List.of(".rs"), TreeSitterRust::new),
  JAVA("java", List.of(".java"), TreeSitterJava::new),
  C("c", List.of(".c", ".h"), TreeSitterC::new),
  CPP(
      "cpp",
      List.of(".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".tpp"),
      TreeSitterCpp::new),
  CSHARP("csharp", List.of(".cs"), TreeSitterCSharp::new),
  RUBY("ruby", List.of(".rb", ".rake", ".gemspec"), TreeSitterRuby::new);

  private static final Map<String, Language> BY_EXTENSION = new HashMap<>();
  private static final Map<String, Language> BY_ID = new HashMap<>();

  static {
    for (Language l : values()) {
      BY_ID.put(l.id, l);
      for (String e : l.extensions) {
        BY_EXTENSION.put(e, l);
      }
    }
  }

  private final String id;
  private final List<String> extensions;
  private final Supplier<TSLanguage> grammar;

  Language(String id, List<String> extensions, Supplier<TSLanguage> grammar) {
    this.id = id;
    this.extensions = extensions;
    this.grammar = grammar;
  }

  /** The name stored in files.language and spans.language. */
  public String id() {
    return id;
  }

  public List<String> extensions() {
    return extensions;
  }

  /** A new handle on the grammar; loads its native library on first use. */
  public TSLanguage grammar() {
    return grammar.get();
  }

  /** Classpath resource holding the language's span query. */
  public String queryResource() {
    return "/io/codegloss/scheduler/index/queries/" + id + ".scm";
  }

  /**
   * The language of a file by its name. Type declaration files ({@code .d.ts}, {@code .pyi}) hold
   * no bodies worth a note and are left out.
   */
  public static Optional<Language> forFileName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".d.ts") || lower.endsWith(".d.mts") || lower.endsWith(".d.cts")) {
      return Optional.empty();
    }
    int dot = lower.lastIndexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_EXTENSION.get(lower.substring(dot)));
  }

  public static Optional<Language> byId(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }
}
