package io.codegloss.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A codegloss command in a JVM of its own, as an operator would start it on another machine:
 * separate process, its own heap, talking to the others only through PostgreSQL.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final String name;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(String name, Path logDir, Map<String, String> env, String... args) {
    return start(name, logDir, env, List.of(), args);
  }

  /** As {@link #start(String, Path, Map, String...)}, with extra JVM options. */
  static ChildJvm start(
      String name, Path logDir, Map<String, String> env, List<String> jvmArgs, String... args) {
    return startWrapped(List.of(), name, logDir, env, jvmArgs, CodeglossMain.class, args);
  }

  /**
   * A JVM running {@code main} under {@code wrapper} (e.g. {@code ip netns exec NAME}, to put it in
   * a network namespace of its own).
   */
  static ChildJvm startWrapped(
      List<String> wrapper,
      String name,
      Path logDir,
      Map<String, String> env,
      List<String> jvmArgs,
      Class<?> main,
      String... args) {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      return new ChildJvm(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code lines} lines of the output, to tell why a test around this JVM failed. */
  String tail(int lines) {
    List<String> all = output().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Adds the end of each child's log to a failure: the logs live in the test's temporary directory,
   * which is gone by the time anyone reads the report.
   */
  static void attachLogs(Throwable failure, List<ChildJvm> children) {
    for (ChildJvm child : children) {
      failure.addSuppressed(
          new AssertionError("last lines of " + child + ":\n" + child.tail(60), null));
    }
  }

  /** SIGKILL: no shutdown hook, no drain, no goodbye. */
  void kill9() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM: the worker drains. */
  void terminate() {
    process.destroy();
  }

  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            name + " did not exit within " + timeout + "; output:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
