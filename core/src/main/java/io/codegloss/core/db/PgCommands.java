package io.codegloss.core.db;

import io.codegloss.core.error.PermanentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs initdb, pg_ctl and postgres. PostgreSQL refuses to run as root, and CI machines and
 * containers often run everything as root, so as root the commands run either in a fresh user
 * namespace ({@code unshare -U}: the process stays uid 0 to the kernel, so it can still reach
 * {@code /root/.codegloss}, but sees itself as "nobody" and PostgreSQL's check passes) or, where
 * user namespaces are forbidden, as the real user "nobody" through {@code setpriv} with the data
 * directory handed to that user.
 */
final class PgCommands {

  private static final Logger log = LoggerFactory.getLogger(PgCommands.class);

  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** Who owns the data directory for the chosen mode; null when nothing needs changing. */
  record Owner(int uid, int gid) {}

  private static volatile @Nullable Boolean userNamespacesWork;

  private final EmbeddedPostgres.RunAs mode;
  private final List<String> prefix;
  private final @Nullable Owner owner;
  private final Path workDir;

  private PgCommands(
      EmbeddedPostgres.RunAs mode, List<String> prefix, @Nullable Owner owner, Path workDir) {
    this.mode = mode;
    this.prefix = prefix;
    this.owner = owner;
    this.workDir = workDir;
  }

  static PgCommands resolve(EmbeddedPostgres.RunAs requested, Path binaries, Path workDir) {
    boolean root = isRoot();
    EmbeddedPostgres.RunAs mode = requested;
    if (mode == EmbeddedPostgres.RunAs.AUTO) {
      if (!root) {
        mode = EmbeddedPostgres.RunAs.CURRENT_USER;
      } else if (userNamespacesWork(workDir)) {
        mode = EmbeddedPostgres.RunAs.USER_NAMESPACE;
      } else {
        mode = EmbeddedPostgres.RunAs.NOBODY;
      }
    }
    PgCommands commands =
        switch (mode) {
          case CURRENT_USER -> {
            if (root) {
              throw new PermanentException(
                  "PostgreSQL refuses to run as root: run codegloss as a normal user or set"
                      + " CODEGLOSS_DB_URL");
            }
            yield new PgCommands(mode, List.of(), null, workDir);
          }
          case USER_NAMESPACE ->
              new PgCommands(
                  mode, List.of("unshare", "-U"), root ? new Owner(0, 0) : null, workDir);
          case NOBODY -> {
            if (!root) {
              throw new PermanentException(
                  "running the embedded PostgreSQL as 'nobody' needs root; run it as yourself");
            }
            Owner nobody = nobody();
            yield new PgCommands(
                mode,
                List.of(
                    "setpriv",
                    "--reuid=" + nobody.uid(),
                    "--regid=" + nobody.gid(),
                    "--clear-groups"),
                nobody,
                workDir);
          }
          case AUTO -> throw new IllegalStateException("resolved above");
        };
    if (mode == EmbeddedPostgres.RunAs.NOBODY) {
      Result r =
          commands.run(
              Duration.ofSeconds(30), PgBinaries.executable(binaries, "postgres"), "--version");
      if (!r.ok()) {
        throw new PermanentException(
            "PostgreSQL refuses to run as root and user namespaces are unavailable here, so it"
                + " runs as 'nobody', who cannot reach "
                + binaries
                + " ("
                + firstLine(r.output())
                + "): run codegloss as a normal user, point CODEGLOSS_HOME at a directory every"
                + " user can enter, or set CODEGLOSS_DB_URL");
      }
    }
    log.debug("embedded PostgreSQL commands run as {}", mode);
    return commands;
  }

  EmbeddedPostgres.RunAs mode() {
    return mode;
  }

  /** Gives {@code path} (recursively) to the user the server runs as, if it is not theirs yet. */
  void handOver(Path path) throws IOException {
    if (owner == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (uid == owner.uid()) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setAttribute(p, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  Result run(Duration timeout, Path executable, String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(executable.toString());
    command.addAll(List.of(args));
    return exec(command, timeout, workDir);
  }

  private static Result exec(List<String> command, Duration timeout, Path workDir) {
    Path out = null;
    try {
      out = Files.createTempFile("codegloss-pg-", ".out");
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.directory(workDir.toFile());
      pb.redirectErrorStream(true);
      // a file, not a pipe: pg_ctl's daemon must not keep our pipe open
      pb.redirectOutput(out.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("PG"));
      env.put("LC_ALL", "C");
      env.put("LANG", "C");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new PermanentException(
            "'"
                + String.join(" ", command)
                + "' did not finish within "
                + timeout.toSeconds()
                + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new PermanentException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PermanentException("interrupted while running " + command.get(0), e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          log.debug("cannot delete {}", out);
        }
      }
    }
  }

  static boolean isRoot() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("win")) {
      return false;
    }
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  private static boolean userNamespacesWork(Path workDir) {
    Boolean known = userNamespacesWork;
    if (known == null) {
      boolean works;
      try {
        works = exec(List.of("unshare", "-U", "true"), Duration.ofSeconds(10), workDir).ok();
      } catch (PermanentException e) {
        works = false;
      }
      known = works;
      userNamespacesWork = known;
      log.debug("user namespaces {}", works ? "work" : "are unavailable");
    }
    return known;
  }

  private static Owner nobody() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals("nobody")) {
          return new Owner(Integer.parseInt(f[2]), Integer.parseInt(f[3]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      log.debug("cannot read /etc/passwd: {}", e.getMessage());
    }
    return new Owner(65534, 65534);
  }

  static String firstLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl).strip();
  }
}
