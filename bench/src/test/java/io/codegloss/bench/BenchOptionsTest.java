package io.codegloss.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.error.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void theIssuesCommandLineParsesWithTheDocumentedDefaults() {
    BenchOptions o =
        BenchOptions.parse(
            new String[] {"some/repo", "--limit", "60", "--json", "--output", "out"});

    assertThat(o.corpus()).isEqualTo(Path.of("some/repo"));
    assertThat(o.limit()).isEqualTo(60);
    assertThat(o.json()).isTrue();
    assertThat(o.output()).isEqualTo(Path.of("out"));
    assertThat(o.modes()).containsExactly("single", "batch", "batch-x2");
    assertThat(o.workers()).containsExactly(1, 2, 4);
    assertThat(o.scaling()).isTrue();
    assertThat(o.fixedLatency()).isFalse();
  }

  @Test
  void settingFlagsBecomeTheirVariables() {
    BenchOptions o =
        BenchOptions.parse(
            new String[] {"--backend=openai", "--batch-max-tokens", "1500", "--modes", "batch"});

    assertThat(o.flags())
        .containsEntry("CODEGLOSS_BACKEND", "openai")
        .containsEntry("RAG_BATCH_MAX_TOKENS", "1500");
    assertThat(o.modes()).isEqualTo(List.of("batch"));
  }

  @Test
  void anUnknownFlagOrModeIsAUsageErrorThatSaysWhichOne() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--turbo", "on"}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--turbo");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--modes", "single,fast"}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fast");
  }

  @Test
  void helpPrintsUsageAndAUsageErrorExitsWithTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertThat(Bench.run(new String[] {"--help"}, Map.of(), o, e)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: codegloss bench");
    assertThat(Bench.run(new String[] {"--limit", "many"}, Map.of(), o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--limit");
  }
}
