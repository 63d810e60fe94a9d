package io.codegloss.cli;

import static io.codegloss.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.db.Database;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `enqueue`: what an operator types after switching to a better model. */
class EnqueueCommandTest {

  @Test
  void retryFailedClearsTheRepositorysFailuresSoThatThoseSpansArePlannedAgain(@TempDir Path tmp)
      throws Exception {
    try (TestDatabase t = TestDatabase.fresh()) {
      Database db = t.database();
      Map<String, String> env = E2e.env(t, tmp.resolve("home"));
      Path repo = E2e.fixtureRepo(tmp);
      E2e.Result first = E2e.run(env, "enqueue", repo.toString(), "--json");
      assertThat(first.code()).as(first.err()).isZero();
      long spans = count(db, "select count(*) from spans");
      // every span failed for good (as on a model whose answers are all refused)
      Seed seed = Seed.into(t);
      for (Object span : column(db, "select id from spans")) {
        seed.failure((Long) span, f -> f.attempts(8).error("refused").dueInSeconds(0).permanent());
      }
      for (Object job : column(db, "select id from jobs")) {
        seed.jobStatus((UUID) job, "failed");
      }

      E2e.Result again = E2e.run(env, "enqueue", repo.toString(), "--json");
      assertThat(Printer.JSON.readTree(again.out()).path("result").path("pending_spans").asLong())
          .as("failed spans stay out of the plan")
          .isZero();

      E2e.Result retry = E2e.run(env, "enqueue", repo.toString(), "--retry-failed", "--json");
      assertThat(retry.code()).as(retry.err()).isZero();
      JsonNode json = Printer.JSON.readTree(retry.out());
      assertThat(json.path("failed_spans_offered_again").asLong()).isEqualTo(spans).isPositive();
      assertThat(json.path("result").path("pending_spans").asLong()).isEqualTo(spans);
      assertThat(json.path("result").path("new_jobs").asLong())
          .as("new jobs, not the failed ones again under their old ids")
          .isPositive()
          .isEqualTo(
              json.path("result").path("batches").asLong()
                  + json.path("result").path("singles").asLong());
      assertThat(count(db, "select count(*) from span_failures where permanent")).isZero();
    }
  }

  private static List<Object> column(Database db, String sql) {
    return db.withConnection(
        c -> {
          List<Object> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getObject(1));
            }
          }
          return out;
        });
  }
}
