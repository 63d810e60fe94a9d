package io.codegloss.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.error.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench flags' defaults and checks; the CLI's own tests cover help and setting flags. */
class BenchOptionsTest {

  /** The options of {@code codegloss bench ARGS}, without setting flags. */
  static BenchOptions parse(String... args) {
    BenchFlags flags = new BenchFlags();
    new CommandLine(flags).parseArgs(args);
    return flags.options(Map.of());
  }

  @Test
  void theIssuesCommandLineParsesWithTheDocumentedDefaults() {
    BenchOptions o = parse("some/repo", "--limit", "60", "--json", "--output", "out");

    assertThat(o.corpus()).isEqualTo(Path.of("some/repo"));
    assertThat(o.limit()).isEqualTo(60);
    assertThat(o.json()).isTrue();
    assertThat(o.output()).isEqualTo(Path.of("out"));
    assertThat(o.modes()).containsExactly("single", "batch", "batch-x2");
    assertThat(o.workers()).containsExactly(1, 2, 4);
    assertThat(o.realScalingWorkers()).containsExactly(1, 2);
    assertThat(o.realScalingLimit()).isEqualTo(8);
    assertThat(o.latencyMillis()).isEqualTo(1000);
    assertThat(o.timeoutMinutes()).isEqualTo(240);
    assertThat(o.scaling()).isTrue();
    assertThat(o.fixedLatency()).isFalse();
    assertThat(o.docstringQuality()).isFalse();
    assertThat(o.retrievalQuality()).isFalse();
  }

  @Test
  void qualityTakesDocstringsAndRetrievalAndNothingElse() {
    assertThat(parse("--quality", "docstrings").docstringQuality()).isTrue();
    assertThat(parse("--quality", "docstrings").retrievalQuality()).isFalse();
    assertThat(parse("--quality", "retrieval").retrievalQuality()).isTrue();
    assertThat(parse("--quality", "retrieval").docstringQuality()).isFalse();
    BenchOptions both = parse("--quality", "docstrings, retrieval");
    assertThat(both.docstringQuality()).isTrue();
    assertThat(both.retrievalQuality()).isTrue();
    assertThatThrownBy(() -> parse("--quality", "judge"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--quality");
  }

  @Test
  void listsAndSwitchesParse() {
    BenchOptions o =
        parse("--modes", "batch, single", "--workers=1, 3", "--scaling", "off", "--fixed-latency");

    assertThat(o.modes()).isEqualTo(List.of("batch", "single"));
    assertThat(o.workers()).containsExactly(1, 3);
    assertThat(o.scaling()).isFalse();
    assertThat(o.fixedLatency()).isTrue();
    assertThat(parse("--modes", "none").modes()).isEmpty();
  }

  @Test
  void anUnknownModeOrAValueOutOfRangeIsAUsageErrorThatSaysWhichOne() {
    assertThatThrownBy(() -> parse("--modes", "single,fast"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fast");
    assertThatThrownBy(() -> parse("--workers", "1,65"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--workers");
    assertThatThrownBy(() -> parse("--timeout-minutes", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--timeout-minutes");
    assertThatThrownBy(() -> parse("--scaling", "maybe"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--scaling");
  }
}
