package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The binding prints a line on stdout when it extracts its native library; in a {@code --json}
 * command that line would come before the JSON. A fresh JVM is the only place where the library is
 * loaded for the first time, so the test runs one.
 */
class NativeLoadOutputTest {

  @Test
  void loadingLlamaCppLeavesStdoutToTheCommand() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    LoadNativeMain.class.getName()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).isZero();
    // the test classpath's logback writes to stdout too (and may quote the binding's line in a log
    // line); the binding's own "Extracted 'libjllama.so' to ..." line must not be there
    assertThat(out).endsWith("loaded");
    assertThat(out.lines()).noneMatch(line -> line.startsWith("Extracted"));
  }
}
