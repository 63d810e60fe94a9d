package io.codegloss.cli;

import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one entry point of every codegloss process: reads the command line, the environment and the
 * config file into settings, wires the objects the command needs by constructor, runs it, and turns
 * every failure into one line on stderr and an exit code (1 failure, 2 usage). Stack traces go to
 * the log file under CODEGLOSS_HOME/logs, never to the console.
 */
public final class CodeglossMain {

  static final String VERSION = "0.1.0";

  private CodeglossMain() {}

  public static void main(String[] argv) {
    int code = run(argv, System.getenv(), System.out, System.err);
    // llama.cpp's native thread keeps the JVM alive and JobRunr leaves threads: exit explicitly.
    System.exit(code);
  }

  /** Runs one command; returns the process exit code. Used by tests in the same JVM too. */
  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (ConfigException e) {
      err.println("codegloss: " + e.oneLine());
      return 2;
    }
    Path home = Home.resolve(env);
    boolean longRunning =
        switch (args.command()) {
          case "scheduler", "worker", "dashboard", "up", "bench" -> true;
          default -> false;
        };
    // Must happen before the first logger is created: logback reads these on start.
    System.setProperty("codegloss.logDir", home.resolve("logs").toString());
    if (System.getProperty("codegloss.consoleLevel") == null) {
      System.setProperty("codegloss.consoleLevel", longRunning ? "INFO" : "WARN");
    }
    Printer printer = new Printer(out, err);
    try {
      return new Commands(args, env, home, printer).run();
    } catch (CodeglossException e) {
      err.println("codegloss: " + e.oneLine());
      org.slf4j.LoggerFactory.getLogger(CodeglossMain.class).debug("command failed", e);
      return e instanceof ConfigException ? 2 : 1;
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(CodeglossMain.class).error("unexpected failure", e);
      err.println(
          "codegloss: unexpected failure: "
              + e.getClass().getSimpleName()
              + ": "
              + String.valueOf(e.getMessage()).replace('\n', ' ')
              + " (details in "
              + home.resolve("logs/codegloss.log")
              + ")");
      return 1;
    }
  }
}
