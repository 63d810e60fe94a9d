package io.codegloss.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.enrich.EnrichmentSchema;
import io.codegloss.core.store.CallOutcome;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPriority;
import io.codegloss.core.store.JobStatus;
import io.codegloss.core.store.SummarySource;
import io.codegloss.core.store.WorkerState;
import io.codegloss.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each state word lives in one enum; the schema's CHECK constraints must list the same words. */
class StateWordsTest {

  private static TestDatabase db;

  @BeforeAll
  static void open() {
    db = TestDatabase.fresh();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void jobStatusesAreTheWordsTheJobsTableAccepts() {
    assertThat(allowed("jobs", "status")).isEqualTo(words(JobStatus.values()));
  }

  @Test
  void jobKindsAreTheWordsOfJobsEnrichmentsAndLlmCalls() {
    assertThat(allowed("jobs", "kind")).isEqualTo(words(JobKind.values()));
    assertThat(allowed("enrichments", "mode")).isEqualTo(words(JobKind.values()));
    assertThat(allowed("llm_calls", "mode")).isEqualTo(words(JobKind.values()));
  }

  @Test
  void jobPrioritiesAreTheWordsTheJobsTableAccepts() {
    assertThat(allowed("jobs", "priority")).isEqualTo(words(JobPriority.values()));
  }

  @Test
  void callOutcomesAreTheWordsTheLlmCallsTableAccepts() {
    assertThat(allowed("llm_calls", "outcome")).isEqualTo(words(CallOutcome.values()));
  }

  @Test
  void summarySourcesAreTheWordsTheEnrichmentsTableAccepts() {
    assertThat(allowed("enrichments", "summary_source")).isEqualTo(words(SummarySource.values()));
  }

  @Test
  void workerStatesAreTheWordsTheWorkersTableAccepts() {
    assertThat(allowed("workers", "state")).isEqualTo(words(WorkerState.values()));
  }

  @Test
  void notesOfThePromptVersionWorkersWriteCountAsCurrent() {
    int oldestCurrent =
        db.database()
            .withConnection(
                c -> {
                  try (PreparedStatement ps =
                          c.prepareStatement("select codegloss_current_prompt_version()");
                      ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                  }
                });
    assertThat(EnrichmentSchema.PROMPT_VERSION).isGreaterThanOrEqualTo(oldestCurrent);
  }

  private static Set<String> words(Enum<?>[] values) {
    return Arrays.stream(values)
        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The quoted words of the CHECK constraint on {@code table.column}. */
  private static Set<String> allowed(String table, String column) {
    return db.database()
        .withConnection(
            c -> {
              Set<String> out = new TreeSet<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "select pg_get_constraintdef(oid) from pg_constraint"
                          + " where contype = 'c' and conrelid = ?::regclass")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    String def = rs.getString(1);
                    if (!def.contains("(" + column + " ") && !def.contains("(" + column + ")")) {
                      continue;
                    }
                    Matcher m = Pattern.compile("'([a-z_]+)'").matcher(def);
                    while (m.find()) {
                      out.add(m.group(1));
                    }
                  }
                }
              }
              return out;
            });
  }
}
