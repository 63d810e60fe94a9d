package io.codegloss.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Operators learn the settings from the README: none may exist only in the code. */
class ReadmeSettingsTest {

  private static final Pattern SETTING =
      Pattern.compile("\"((?:CODEGLOSS|RAG|OPENAI|OLLAMA)_[A-Z0-9_]+)\"");

  @Test
  void everySettingTheCodeReadsIsDocumentedInTheReadme() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String readme = Files.readString(root.resolve("README.md"));
    Set<String> settings = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root, 12)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .toList()) {
        Matcher m = SETTING.matcher(Files.readString(f));
        while (m.find()) {
          settings.add(m.group(1));
        }
      }
    }

    assertThat(settings).as("settings found in the code").hasSizeGreaterThan(30);
    assertThat(settings.stream().filter(s -> !readme.contains(s)).toList())
        .as("settings missing from README.md")
        .isEmpty();
  }
}
