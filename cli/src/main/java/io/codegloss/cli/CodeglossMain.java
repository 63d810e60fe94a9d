package io.codegloss.cli;

import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Databases;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one entry point of every codegloss process: picocli reads the command line into the command's
 * options, the command reads the environment and the config file into settings, wires the objects
 * it needs by constructor and runs. Every failure becomes one line on stderr and an exit code (1
 * failure, 2 usage or setting). Stack traces go to the log file under CODEGLOSS_HOME/logs, never to
 * the console.
 */
public final class CodeglossMain {

  static final String VERSION = "0.1.0";

  private CodeglossMain() {}

  public static void main(String[] argv) {
    // A library thread that dies (JobRunr's startup task when the database drops mid-start, for
    // one) would print its stack trace on the console; it goes to the log file instead, with one
    // line on the console (logback's console pattern drops exceptions).
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) ->
            org.slf4j.LoggerFactory.getLogger(CodeglossMain.class)
                .error(
                    "thread {} stopped: {}: {}",
                    thread.getName(),
                    e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage()).replace('\n', ' '),
                    e));
    int code = run(argv, System.getenv(), System.out, System.err);
    // llama.cpp's native thread keeps the JVM alive and JobRunr leaves threads: exit explicitly.
    System.exit(code);
  }

  /** The command tree, printing help to {@code out}; the docs check reads its model too. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new CodeglossCommand());
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
    // as before picocli: a flag given twice takes the last value, and '@name' is a plain argument
    // (a symbol or path), never a file of arguments to expand
    cl.setOverwrittenOptionsAllowed(true);
    cl.setExpandAtFiles(false);
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    return cl;
  }

  /** Runs one command; returns the process exit code. Used by tests in the same JVM too. */
  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cl = commandLine(out, err);
    ParseResult parsed;
    try {
      parsed = cl.parseArgs(argv);
    } catch (ParameterException e) {
      err.println(Printer.safe("codegloss: " + usageError(e)));
      return 2;
    }
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) {
      cl.getOut().flush();
      return help;
    }
    ParseResult leaf = parsed;
    while (leaf.subcommand() != null) {
      leaf = leaf.subcommand();
    }
    if (!(leaf.commandSpec().userObject() instanceof CliCommand command)) {
      // `codegloss` alone: what it can do
      cl.usage(cl.getOut());
      cl.getOut().flush();
      return 0;
    }
    // CODEGLOSS_HOME from the environment only: it locates the config file, so it cannot be in it
    Path home = Databases.home(Settings.of(env));
    // Must happen before the first logger is created: logback reads these on start.
    System.setProperty("codegloss.logDir", home.resolve("logs").toString());
    if (System.getProperty("codegloss.consoleLevel") == null) {
      System.setProperty("codegloss.consoleLevel", command.consoleLevel());
    }
    Printer printer = new Printer(out, err);
    try {
      return command.run(new Context(env, home, printer, err));
    } catch (CodeglossException e) {
      err.println(Printer.safe("codegloss: " + e.oneLine()));
      org.slf4j.LoggerFactory.getLogger(CodeglossMain.class).debug("command failed", e);
      return e instanceof ConfigException ? 2 : 1;
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(CodeglossMain.class).error("unexpected failure", e);
      err.println(
          Printer.safe(
              "codegloss: unexpected failure: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + String.valueOf(e.getMessage()).replace('\n', ' ')
                  + " (details in "
                  + home.resolve("logs/codegloss.log")
                  + ")"));
      return 1;
    }
  }

  /** picocli's complaint as one line in codegloss's words, naming the variable of a setting. */
  static String usageError(ParameterException e) {
    CommandLine where = e.getCommandLine();
    String command = where.getCommandName();
    boolean top = where.getParent() == null;
    String hint = top ? "run 'codegloss help'" : "run 'codegloss " + command + " --help'";
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (arg.startsWith("-")) {
        String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        return "unknown flag " + flag + " for '" + command + "' (" + hint + ")";
      }
      if (top) {
        return "unknown command '" + arg + "' (" + hint + ")";
      }
      return "unexpected argument '" + arg + "' for '" + command + "' (" + hint + ")";
    }
    if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
      ArgSpec missing = m.getMissing().get(0);
      if (missing instanceof OptionSpec option) {
        return "flag " + option.longestName() + " needs a value (" + hint + ")";
      }
      return "'" + command + "' needs " + missing.paramLabel() + " (" + hint + ")";
    }
    ArgSpec arg = e.getArgSpec();
    String value = e.getValue();
    if (arg instanceof OptionSpec option && value != null && isConversion(e)) {
      Optional<String> variable = SettingFlags.variable(option);
      String expected = expected(option);
      return variable
          .map(
              v ->
                  "invalid value '"
                      + value
                      + "' for "
                      + v
                      + " (from flag "
                      + option.longestName()
                      + "): expected "
                      + expected)
          .orElse(
              "invalid value '"
                  + value
                  + "' for "
                  + option.longestName()
                  + ": expected "
                  + expected);
    }
    String message = String.valueOf(e.getMessage()).strip();
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line + " (" + hint + ")";
  }

  private static boolean isConversion(ParameterException e) {
    return String.valueOf(e.getMessage()).startsWith("Invalid value for");
  }

  private static String expected(OptionSpec option) {
    Class<?> type = option.type();
    if (List.of(int.class, Integer.class, long.class, Long.class).contains(type)) {
      return "a whole number";
    }
    return "a " + option.paramLabel();
  }
}
