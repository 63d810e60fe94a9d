package io.codegloss.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command runs with besides its own options: the process environment (a map, so that
 * tests run commands in one JVM), CODEGLOSS_HOME, and where output goes.
 */
record Context(Map<String, String> env, Path home, Printer out, PrintStream err) {}
