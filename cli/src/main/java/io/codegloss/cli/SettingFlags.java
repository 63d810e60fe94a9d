package io.codegloss.cli;

import io.codegloss.core.config.Variable;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads the {@link Variable} of an option from picocli's model: the one place where a flag is tied
 * to its setting, for the flag layer of the settings, for error messages and for the docs check.
 */
final class SettingFlags {

  private SettingFlags() {}

  /** The variable an option sets, or empty for options that are not settings (--json...). */
  static Optional<String> variable(OptionSpec option) {
    if (option.userObject() instanceof Field f) {
      Variable v = f.getAnnotation(Variable.class);
      if (v != null) {
        return Optional.of(v.value());
      }
    }
    return Optional.empty();
  }

  /** Variable to value of every setting flag given on this command line. */
  static Map<String, String> values(CommandSpec spec) {
    Map<String, String> values = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      Object value = o.getValue();
      if (value != null) {
        variable(o).ifPresent(v -> values.put(v, value.toString()));
      }
    }
    return values;
  }

  /** Variable to flag name of every setting flag of this command, for error messages. */
  static Map<String, String> names(CommandSpec spec) {
    Map<String, String> names = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      variable(o).ifPresent(v -> names.put(v, o.longestName()));
    }
    return names;
  }
}
