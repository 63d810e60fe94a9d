package io.codegloss.cli;

import io.codegloss.core.error.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line: {@code codegloss COMMAND [POSITIONAL...] [--flag value | --flag=value |
 * --switch]}. Hand-rolled on purpose: a dozen commands do not need a reflective framework.
 */
public final class Args {

  /** Flags that take no value. */
  static final Set<String> SWITCHES =
      Set.of(
          "json",
          "full",
          "retry-failed",
          "until-idle",
          "until-done",
          "help",
          "no-dashboard",
          "fixed-latency");

  private final String[] raw;
  private final String command;
  private final List<String> positional;
  private final Map<String, String> flags;

  private Args(String[] raw, String command, List<String> positional, Map<String, String> flags) {
    this.raw = raw.clone();
    this.command = command;
    this.positional = positional;
    this.flags = flags;
  }

  public static Args parse(String[] argv) {
    String command = null;
    List<String> positional = new ArrayList<>();
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.startsWith("--") && a.length() > 2) {
        String name = a.substring(2);
        String value;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        } else if (SWITCHES.contains(name)) {
          value = "true";
        } else if (i + 1 < argv.length) {
          value = argv[++i];
        } else {
          throw new ConfigException("flag --" + name + " needs a value");
        }
        flags.put(name, value);
      } else if (a.equals("-h")) {
        flags.put("help", "true");
      } else if (command == null) {
        command = a;
      } else {
        positional.add(a);
      }
    }
    return new Args(argv, command == null ? "help" : command, positional, flags);
  }

  /** The arguments after the command word, as given. */
  public String[] raw() {
    String[] rest = new String[Math.max(0, raw.length - 1)];
    int j = 0;
    boolean skipped = false;
    for (String a : raw) {
      if (!skipped && a.equals(command)) {
        skipped = true;
        continue;
      }
      if (j < rest.length) {
        rest[j++] = a;
      }
    }
    return rest;
  }

  public String command() {
    return command;
  }

  public Optional<String> positional(int index) {
    return index < positional.size() ? Optional.of(positional.get(index)) : Optional.empty();
  }

  public List<String> positionals() {
    return positional;
  }

  public boolean has(String flag) {
    return flags.containsKey(flag);
  }

  public Optional<String> flag(String name) {
    return Optional.ofNullable(flags.get(name));
  }

  public Map<String, String> flags() {
    return flags;
  }

  /** Fails on a flag the command does not know, naming it. */
  public void allowOnly(Set<String> known) {
    for (String f : flags.keySet()) {
      if (!known.contains(f) && !f.equals("help") && !f.equals("config")) {
        throw new ConfigException("unknown flag --" + f + " for '" + command + "'");
      }
    }
  }
}
