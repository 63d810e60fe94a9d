package io.codegloss.scheduler.index.extract;

import io.codegloss.core.facts.SideEffectKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which calls are side-effect candidates, per language. A rule matches a call's canonical dotted
 * name (its receiver with import aliases undone, then its name): {@code "os."} matches every call
 * on the os module, {@code "print"} only the bare call. Rules are tried in order, so narrower ones
 * come first. These are candidates for a note, not proofs: a call on a variable named {@code fs}
 * counts as file I/O.
 */
final class SideEffectRules {

  private record Rule(String pattern, SideEffectKind kind) {
    boolean matches(String canonical) {
      if (pattern.endsWith(".")) {
        return canonical.startsWith(pattern);
      }
      return canonical.equals(pattern);
    }
  }

  private static Rule r(String pattern, SideEffectKind kind) {
    return new Rule(pattern, kind);
  }

  private static final List<Rule> PYTHON =
      List.of(
          r("os.environ.", SideEffectKind.ENVIRONMENT),
          r("os.getenv", SideEffectKind.ENVIRONMENT),
          r("os.putenv", SideEffectKind.ENVIRONMENT),
          r("os.unsetenv", SideEffectKind.ENVIRONMENT),
          r("os.system", SideEffectKind.PROCESS),
          r("os.popen", SideEffectKind.PROCESS),
          r("os.kill", SideEffectKind.PROCESS),
          r("os.fork", SideEffectKind.PROCESS),
          r("os.execv", SideEffectKind.PROCESS),
          r("os.execvp", SideEffectKind.PROCESS),
          r("os.spawnv", SideEffectKind.PROCESS),
          r("os._exit", SideEffectKind.PROCESS),
          r("os.urandom", SideEffectKind.RANDOM),
          r("os.getcwd", SideEffectKind.FILE),
          r("os.path.join", null),
          r("os.path.basename", null),
          r("os.path.dirname", null),
          r("os.path.splitext", null),
          r("os.path.split", null),
          r("os.path.normpath", null),
          r("os.path.normcase", null),
          r("os.path.isabs", null),
          r("os.fspath", null),
          r("os.fsencode", null),
          r("os.fsdecode", null),
          r("os.", SideEffectKind.FILE),
          r("shutil.", SideEffectKind.FILE),
          r("tempfile.", SideEffectKind.FILE),
          r("glob.", SideEffectKind.FILE),
          r("io.open", SideEffectKind.FILE),
          r("open", SideEffectKind.FILE),
          r("print", SideEffectKind.CONSOLE),
          r("input", SideEffectKind.CONSOLE),
          r("sys.stdout.", SideEffectKind.CONSOLE),
          r("sys.stderr.", SideEffectKind.CONSOLE),
          r("sys.stdin.", SideEffectKind.CONSOLE),
          r("sys.exit", SideEffectKind.PROCESS),
          r("logging.getLogger", null),
          r("logging.", SideEffectKind.CONSOLE),
          r("subprocess.", SideEffectKind.PROCESS),
          r("multiprocessing.", SideEffectKind.PROCESS),
          r("socket.", SideEffectKind.NETWORK),
          r("requests.", SideEffectKind.NETWORK),
          r("httpx.", SideEffectKind.NETWORK),
          r("aiohttp.", SideEffectKind.NETWORK),
          r("urllib.request.", SideEffectKind.NETWORK),
          r("urllib.parse.", null),
          r("http.client.", SideEffectKind.NETWORK),
          r("smtplib.", SideEffectKind.NETWORK),
          r("ftplib.", SideEffectKind.NETWORK),
          r("sqlite3.", SideEffectKind.DATABASE),
          r("psycopg2.", SideEffectKind.DATABASE),
          r("psycopg.", SideEffectKind.DATABASE),
          r("pymysql.", SideEffectKind.DATABASE),
          r("sqlalchemy.create_engine", SideEffectKind.DATABASE),
          r("time.time", SideEffectKind.CLOCK),
          r("time.time_ns", SideEffectKind.CLOCK),
          r("time.monotonic", SideEffectKind.CLOCK),
          r("time.perf_counter", SideEffectKind.CLOCK),
          r("time.localtime", SideEffectKind.CLOCK),
          r("time.gmtime", SideEffectKind.CLOCK),
          r("time.strftime", SideEffectKind.CLOCK),
          r("time.sleep", SideEffectKind.CLOCK),
          r("datetime.now", SideEffectKind.CLOCK),
          r("datetime.utcnow", SideEffectKind.CLOCK),
          r("datetime.today", SideEffectKind.CLOCK),
          r("datetime.datetime.now", SideEffectKind.CLOCK),
          r("datetime.datetime.utcnow", SideEffectKind.CLOCK),
          r("datetime.datetime.today", SideEffectKind.CLOCK),
          r("datetime.date.today", SideEffectKind.CLOCK),
          r("date.today", SideEffectKind.CLOCK),
          r("random.", SideEffectKind.RANDOM),
          r("secrets.", SideEffectKind.RANDOM),
          r("uuid.uuid1", SideEffectKind.RANDOM),
          r("uuid.uuid4", SideEffectKind.RANDOM));

  private static final List<Rule> JAVASCRIPT =
      List.of(
          r("fs.", SideEffectKind.FILE),
          r("fs/promises.", SideEffectKind.FILE),
          r("node:fs.", SideEffectKind.FILE),
          r("node:fs/promises.", SideEffectKind.FILE),
          r("fs.promises.", SideEffectKind.FILE),
          r("console.", SideEffectKind.CONSOLE),
          r("process.stdout.", SideEffectKind.CONSOLE),
          r("process.stderr.", SideEffectKind.CONSOLE),
          r("process.exit", SideEffectKind.PROCESS),
          r("process.kill", SideEffectKind.PROCESS),
          r("child_process.", SideEffectKind.PROCESS),
          r("node:child_process.", SideEffectKind.PROCESS),
          r("fetch", SideEffectKind.NETWORK),
          r("axios.", SideEffectKind.NETWORK),
          r("axios", SideEffectKind.NETWORK),
          r("http.", SideEffectKind.NETWORK),
          r("https.", SideEffectKind.NETWORK),
          r("node:http.", SideEffectKind.NETWORK),
          r("node:https.", SideEffectKind.NETWORK),
          r("net.", SideEffectKind.NETWORK),
          r("XMLHttpRequest", SideEffectKind.NETWORK),
          r("WebSocket", SideEffectKind.NETWORK),
          r("Date.now", SideEffectKind.CLOCK),
          r("new Date", SideEffectKind.CLOCK),
          r("Date", SideEffectKind.CLOCK),
          r("performance.now", SideEffectKind.CLOCK),
          r("Math.random", SideEffectKind.RANDOM),
          r("crypto.randomUUID", SideEffectKind.RANDOM),
          r("crypto.randomBytes", SideEffectKind.RANDOM),
          r("crypto.getRandomValues", SideEffectKind.RANDOM),
          r("localStorage.", SideEffectKind.FILE),
          r("sessionStorage.", SideEffectKind.FILE));

  private static final List<Rule> JAVA =
      List.of(
          r("System.out.", SideEffectKind.CONSOLE),
          r("System.err.", SideEffectKind.CONSOLE),
          r("System.console", SideEffectKind.CONSOLE),
          r("System.getenv", SideEffectKind.ENVIRONMENT),
          r("System.getProperty", SideEffectKind.ENVIRONMENT),
          r("System.setProperty", SideEffectKind.ENVIRONMENT),
          r("System.currentTimeMillis", SideEffectKind.CLOCK),
          r("System.nanoTime", SideEffectKind.CLOCK),
          r("System.exit", SideEffectKind.PROCESS),
          r("Instant.now", SideEffectKind.CLOCK),
          r("LocalDateTime.now", SideEffectKind.CLOCK),
          r("LocalDate.now", SideEffectKind.CLOCK),
          r("ZonedDateTime.now", SideEffectKind.CLOCK),
          r("OffsetDateTime.now", SideEffectKind.CLOCK),
          r("Clock.systemUTC", SideEffectKind.CLOCK),
          r("new Date", SideEffectKind.CLOCK),
          r("Thread.sleep", SideEffectKind.CLOCK),
          r("Math.random", SideEffectKind.RANDOM),
          r("new Random", SideEffectKind.RANDOM),
          r("new SecureRandom", SideEffectKind.RANDOM),
          r("ThreadLocalRandom.current", SideEffectKind.RANDOM),
          r("UUID.randomUUID", SideEffectKind.RANDOM),
          r("Files.", SideEffectKind.FILE),
          r("new FileWriter", SideEffectKind.FILE),
          r("new FileReader", SideEffectKind.FILE),
          r("new FileInputStream", SideEffectKind.FILE),
          r("new FileOutputStream", SideEffectKind.FILE),
          r("new RandomAccessFile", SideEffectKind.FILE),
          r("new PrintWriter", SideEffectKind.FILE),
          r("HttpClient.", SideEffectKind.NETWORK),
          r("HttpRequest.", SideEffectKind.NETWORK),
          r("new URL", SideEffectKind.NETWORK),
          r("new Socket", SideEffectKind.NETWORK),
          r("new ServerSocket", SideEffectKind.NETWORK),
          r("Runtime.getRuntime.exec", SideEffectKind.PROCESS),
          r("new ProcessBuilder", SideEffectKind.PROCESS),
          r("DriverManager.", SideEffectKind.DATABASE));

  private static final List<Rule> GO =
      List.of(
          r("os.Getenv", SideEffectKind.ENVIRONMENT),
          r("os.Setenv", SideEffectKind.ENVIRONMENT),
          r("os.LookupEnv", SideEffectKind.ENVIRONMENT),
          r("os.Unsetenv", SideEffectKind.ENVIRONMENT),
          r("os.Environ", SideEffectKind.ENVIRONMENT),
          r("os.Exit", SideEffectKind.PROCESS),
          r("os.Getpid", SideEffectKind.PROCESS),
          r("os.StartProcess", SideEffectKind.PROCESS),
          r("os.IsNotExist", null),
          r("os.IsExist", null),
          r("os.", SideEffectKind.FILE),
          r("io/ioutil.", SideEffectKind.FILE),
          r("path/filepath.Walk", SideEffectKind.FILE),
          r("path/filepath.WalkDir", SideEffectKind.FILE),
          r("path/filepath.Glob", SideEffectKind.FILE),
          r("fmt.Print", SideEffectKind.CONSOLE),
          r("fmt.Printf", SideEffectKind.CONSOLE),
          r("fmt.Println", SideEffectKind.CONSOLE),
          r("fmt.Fprint", SideEffectKind.CONSOLE),
          r("fmt.Fprintf", SideEffectKind.CONSOLE),
          r("fmt.Fprintln", SideEffectKind.CONSOLE),
          r("fmt.Scan", SideEffectKind.CONSOLE),
          r("fmt.Scanln", SideEffectKind.CONSOLE),
          r("fmt.Scanf", SideEffectKind.CONSOLE),
          r("log.", SideEffectKind.CONSOLE),
          r("log/slog.", SideEffectKind.CONSOLE),
          r("net/http.", SideEffectKind.NETWORK),
          r("net.", SideEffectKind.NETWORK),
          r("os/exec.", SideEffectKind.PROCESS),
          r("database/sql.", SideEffectKind.DATABASE),
          r("time.Now", SideEffectKind.CLOCK),
          r("time.Since", SideEffectKind.CLOCK),
          r("time.Until", SideEffectKind.CLOCK),
          r("time.Sleep", SideEffectKind.CLOCK),
          r("time.After", SideEffectKind.CLOCK),
          r("time.Tick", SideEffectKind.CLOCK),
          r("math/rand.", SideEffectKind.RANDOM),
          r("math/rand/v2.", SideEffectKind.RANDOM),
          r("crypto/rand.", SideEffectKind.RANDOM));

  /** Method names that run SQL on whatever connection, statement or cursor they are called on. */
  private static final Map<Language, Set<String>> DATABASE_METHODS =
      Map.of(
          Language.PYTHON,
          Set.of("execute", "executemany", "executescript", "commit", "rollback"),
          Language.JAVA,
          Set.of(
              "executeQuery",
              "executeUpdate",
              "executeBatch",
              "prepareStatement",
              "prepareCall",
              "createStatement"),
          Language.GO,
          Set.of("QueryRow", "QueryContext", "QueryRowContext", "ExecContext", "BeginTx"));

  /** Names whose call on a collection changes it in place. */
  static final Set<String> MUTATORS =
      Set.of(
          "append",
          "extend",
          "insert",
          "remove",
          "pop",
          "popitem",
          "clear",
          "update",
          "add",
          "discard",
          "setdefault",
          "sort",
          "reverse",
          "push",
          "unshift",
          "shift",
          "splice",
          "fill",
          "set",
          "delete",
          "put",
          "putAll",
          "addAll",
          "removeAll",
          "removeIf",
          "retainAll",
          "offer",
          "poll");

  private static final Set<String> LOG_METHODS =
      Set.of(
          "debug",
          "info",
          "warning",
          "warn",
          "error",
          "exception",
          "critical",
          "fatal",
          "trace",
          "log");

  private SideEffectRules() {}

  /**
   * Side effects read from what a call is made on rather than its name: a logger's level methods,
   * SQL on a connection typed as such.
   */
  static @Nullable SideEffectKind forReceiver(
      Language language, String receiver, @Nullable String receiverType, String name) {
    String r = receiver.toLowerCase(java.util.Locale.ROOT);
    if (LOG_METHODS.contains(name)
        && (r.equals("log") || r.endsWith("logger") || r.endsWith(".log"))) {
      return SideEffectKind.CONSOLE;
    }
    if (receiverType != null) {
      String t = receiverType;
      if (t.equals("sql.DB")
          || t.equals("sql.Tx")
          || t.equals("sql.Stmt")
          || t.equals("sql.Conn")
          || t.equals("Connection")
          || t.equals("Statement")
          || t.equals("PreparedStatement")
          || t.equals("sqlite3.Connection")
          || t.equals("sqlite3.Cursor")) {
        return SideEffectKind.DATABASE;
      }
      if (t.equals("HttpClient") || t.equals("http.Client")) {
        return SideEffectKind.NETWORK;
      }
      if (t.equals("ProcessBuilder") && name.equals("start")) {
        return SideEffectKind.PROCESS;
      }
    }
    return null;
  }

  /** The kind of side effect a call with this canonical name has, or null for none known. */
  static @Nullable SideEffectKind forCall(Language language, String canonical, String name) {
    List<Rule> rules =
        switch (language) {
          case PYTHON -> PYTHON;
          case JAVASCRIPT, TYPESCRIPT, TSX -> JAVASCRIPT;
          case JAVA -> JAVA;
          case GO -> GO;
          default -> List.of();
        };
    for (Rule rule : rules) {
      if (rule.matches(canonical)) {
        return rule.kind();
      }
    }
    Set<String> db = DATABASE_METHODS.get(language);
    if (db != null && db.contains(name) && !canonical.equals(name)) {
      return SideEffectKind.DATABASE;
    }
    if (language == Language.JAVA && name.equals("exec") && canonical.contains("Runtime")) {
      return SideEffectKind.PROCESS;
    }
    return null;
  }
}
