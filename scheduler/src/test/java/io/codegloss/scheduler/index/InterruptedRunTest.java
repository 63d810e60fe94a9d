package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.codegloss.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index run killed with SIGKILL leaves a consistent database that the next run completes. */
class InterruptedRunTest {

  @TempDir Path repo;

  private static String module(int n) {
    StringBuilder sb = new StringBuilder("import os\n\n\n");
    for (int c = 0; c < 8; c++) {
      sb.append("class Service").append(n).append('_').append(c).append(":\n");
      sb.append("    \"\"\"Service number ").append(c).append(".\"\"\"\n\n");
      for (int m = 0; m < 12; m++) {
        sb.append("    def handle_").append(m).append("(self, request, retries=3):\n");
        sb.append("        for attempt in range(retries):\n");
        sb.append("            if request.ok(attempt):\n");
        sb.append("                return os.path.join('a', str(attempt), '")
            .append(n)
            .append("')\n");
        sb.append("        return None\n\n");
      }
    }
    return sb.toString();
  }

  private static List<String> snapshot(IndexFixture fx) {
    List<String> rows = new ArrayList<>();
    for (IndexFixture.Row r : fx.rows()) {
      rows.add(r.path() + " " + r.symbol() + " " + r.startLine() + " " + r.hash());
    }
    return rows;
  }

  @Test
  void aKilledRunLeavesWholeFilesAndTheNextRunCompletesTheIndex() throws Exception {
    try (TestDatabase killed = TestDatabase.fresh();
        TestDatabase clean = TestDatabase.fresh()) {
      IndexFixture fx = new IndexFixture(killed.database(), repo);
      int files = 120;
      for (int i = 0; i < files; i++) {
        fx.write("pkg" + (i % 10) + "/mod" + i + ".py", module(i));
      }

      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  IndexBench.class.getName(),
                  repo.toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(killed.childEnvironment());
      pb.environment().put(IndexSettings.THREADS, "1");
      Process child = pb.start();
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> fx.count("select count(*) from files") >= 5);
      } finally {
        child.destroyForcibly().waitFor();
      }
      long written = fx.count("select count(*) from files");
      assertThat(written).as("killed before the end").isLessThan(files);
      // every file row that made it has all of its spans: 8 classes x 13 spans
      assertThat(
              fx.count(
                  "select count(*) from files f where (select count(*) from spans s"
                      + " where s.file_id = f.id) <> 104"))
          .isZero();

      IndexReport resumed = fx.index();

      assertThat(resumed.filesChanged()).isEqualTo(files - (int) written);
      assertThat(resumed.spansTotal()).isEqualTo(files * 104L);
      IndexFixture reference = new IndexFixture(clean.database(), repo);
      reference.index();
      assertThat(snapshot(fx)).isEqualTo(snapshot(reference));
    }
  }
}
