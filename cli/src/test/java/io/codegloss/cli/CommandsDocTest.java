package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/commands.md and the README's command table against picocli's model of the CLI: the parser
 * and the help are generated from the same annotations, so the docs are the only copy left to
 * check. Every flag of every command is documented with the variable it sets, and nothing is
 * documented that the CLI would reject.
 */
class CommandsDocTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern COMMAND = Pattern.compile("^## ([a-z]+)\\b.*");
  private static final Pattern FLAG_ROW =
      Pattern.compile("^\\| `(--[a-z-]+)( [^`]+)?` \\| (?:`([A-Z][A-Z0-9_]*)`)? *\\|");
  private static final Pattern README_COMMAND =
      Pattern.compile("^\\| `([a-z]+)\\b([^`]*)` \\|(.*)");
  private static final Pattern FLAG = Pattern.compile("(--[a-z][a-z-]*)");

  /** A documented flag: whether it takes a value, and its variable ("" for none). */
  record Doc(boolean takesValue, String variable) {}

  private static final Map<String, Map<String, Doc>> documented = new LinkedHashMap<>();
  private static final Map<String, Doc> everyCommand = new TreeMap<>();
  private static CommandLine cli;

  @BeforeAll
  static void read() throws IOException {
    cli = CodeglossMain.commandLine(System.out, System.err);
    String doc = Files.readString(ROOT.resolve("docs/commands.md"));
    String section = "";
    Map<String, Doc> current = null;
    for (String line : doc.split("\n")) {
      if (line.startsWith("# ")) {
        section = line.substring(2).strip();
        current = section.equals("Commands") ? everyCommand : null;
        continue;
      }
      Matcher m;
      if (section.equals("Commands") && (m = COMMAND.matcher(line)).matches()) {
        current = new TreeMap<>();
        documented.put(m.group(1), current);
      } else if (current != null && (m = FLAG_ROW.matcher(line)).find()) {
        current.put(m.group(1), new Doc(m.group(2) != null, m.group(3) == null ? "" : m.group(3)));
      }
    }
  }

  /** The visible commands, as the CLI knows them. */
  private static Map<String, CommandSpec> commands() {
    Map<String, CommandSpec> specs = new LinkedHashMap<>();
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden() && !name.equals("help")) {
                specs.put(name, sub.getCommandSpec());
              }
            });
    return specs;
  }

  private static Doc model(OptionSpec o) {
    return new Doc(o.arity().max() > 0, SettingFlags.variable(o).orElse(""));
  }

  @Test
  void theDocsHaveASectionForEveryCommandAndNoOther() {
    assertThat(documented.keySet()).containsExactlyElementsOf(commands().keySet());
  }

  @Test
  void everyFlagOfEveryCommandIsDocumentedWithItsVariable() {
    for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
      Map<String, Doc> inCli = new TreeMap<>();
      for (OptionSpec o : c.getValue().options()) {
        if (!everyCommand.containsKey(o.longestName())) {
          inCli.put(o.longestName(), model(o));
        }
      }
      assertThat(documented.get(c.getKey()))
          .as("flags of '%s' in docs/commands.md", c.getKey())
          .isEqualTo(inCli);
    }
  }

  @Test
  void theFlagsOfEveryCommandExistOnEveryCommandAsDocumented() {
    assertThat(everyCommand).isNotEmpty();
    for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
      for (Map.Entry<String, Doc> flag : everyCommand.entrySet()) {
        OptionSpec o = c.getValue().findOption(flag.getKey());
        assertThat(o).as("%s on '%s'", flag.getKey(), c.getKey()).isNotNull();
        assertThat(model(o)).as("%s on '%s'", flag.getKey(), c.getKey()).isEqualTo(flag.getValue());
      }
    }
  }

  @Test
  void theGeneratedHelpNamesTheVariableOfEverySettingFlag() {
    for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
      for (OptionSpec o : c.getValue().options()) {
        SettingFlags.variable(o)
            .ifPresent(
                v ->
                    assertThat(String.join(" ", o.description()))
                        .as("help of %s on '%s'", o.longestName(), c.getKey())
                        .contains(v));
      }
    }
  }

  @Test
  void theReadmesCommandTableNamesEveryCommandAndOnlyFlagsItHas() throws IOException {
    Set<String> inReadme = new TreeSet<>();
    for (String line : Files.readString(ROOT.resolve("README.md")).split("\n")) {
      Matcher m = README_COMMAND.matcher(line);
      if (!m.matches() || !commands().containsKey(m.group(1))) {
        continue;
      }
      CommandSpec spec = commands().get(m.group(1));
      inReadme.add(m.group(1));
      Matcher f = FLAG.matcher(m.group(2) + m.group(3));
      while (f.find()) {
        assertThat(spec.findOption(f.group(1)))
            .as("README: %s on '%s'", f.group(1), m.group(1))
            .isNotNull();
      }
    }
    assertThat(inReadme).isEqualTo(new TreeSet<>(commands().keySet()));
  }

  @Test
  void theReadmesSettingRowsNameTheFlagsThatSetThem() throws IOException {
    Map<String, String> flagToVariable = new TreeMap<>();
    for (CommandSpec spec : commands().values()) {
      for (OptionSpec o : spec.options()) {
        SettingFlags.variable(o).ifPresent(v -> flagToVariable.put(o.longestName(), v));
      }
    }
    Pattern variable = Pattern.compile("`((?:CODEGLOSS|RAG)_[A-Z0-9_]+)`");
    int checked = 0;
    for (String line : Files.readString(ROOT.resolve("README.md")).split("\n")) {
      if (!line.startsWith("| `CODEGLOSS_") && !line.startsWith("| `RAG_")) {
        continue;
      }
      Set<String> variables = new TreeSet<>();
      Matcher v = variable.matcher(line.substring(0, line.indexOf('|', 2)));
      while (v.find()) {
        variables.add(v.group(1));
      }
      Matcher f = FLAG.matcher(line);
      while (f.find()) {
        String flag = f.group(1);
        if (flagToVariable.containsKey(flag)) {
          checked++;
          assertThat(variables).as("README row of %s", flag).contains(flagToVariable.get(flag));
        }
      }
    }
    assertThat(checked).isGreaterThan(5);
  }
}
