package io.codegloss.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasureTest {

  @Test
  void aJobsLifeIsReadFromJobRunrsHistoryCountingFromItsLastAttempt() {
    String json =
        """
        {"jobHistory":[
          {"@class":"org.jobrunr.jobs.states.EnqueuedState","state":"ENQUEUED","createdAt":"2026-01-01T10:00:00Z"},
          {"@class":"org.jobrunr.jobs.states.ProcessingState","state":"PROCESSING","serverName":"w1","createdAt":"2026-01-01T10:00:01Z"},
          {"@class":"org.jobrunr.jobs.states.FailedState","state":"FAILED","createdAt":"2026-01-01T10:00:03Z"},
          {"@class":"org.jobrunr.jobs.states.ScheduledState","state":"SCHEDULED","createdAt":"2026-01-01T10:00:03Z"},
          {"@class":"org.jobrunr.jobs.states.EnqueuedState","state":"ENQUEUED","createdAt":"2026-01-01T10:00:10Z"},
          {"@class":"org.jobrunr.jobs.states.ProcessingState","state":"PROCESSING","serverName":"w2","createdAt":"2026-01-01T10:00:12Z"},
          {"@class":"org.jobrunr.jobs.states.SucceededState","state":"SUCCEEDED","createdAt":"2026-01-01T10:00:15.500Z"}
        ]}
        """;

    Measure.JobLife life = Measure.life("j1", json);

    assertThat(life.server()).isEqualTo("w2");
    assertThat(life.enqueued()).isEqualTo(Instant.parse("2026-01-01T10:00:10Z"));
    assertThat(life.started()).isEqualTo(Instant.parse("2026-01-01T10:00:12Z"));
    assertThat(life.ended()).isEqualTo(Instant.parse("2026-01-01T10:00:15.500Z"));
  }

  @Test
  void aJobThatNeverRanHasNoLife() {
    String json =
        """
        {"jobHistory":[{"state":"ENQUEUED","createdAt":"2026-01-01T10:00:00Z"}]}
        """;
    assertThat(Measure.life("j2", json)).isNull();
  }

  @Test
  void overlappingCallsCountOnceAndOnlyInsideTheRun() {
    List<long[]> calls = List.of(new long[] {0, 10}, new long[] {5, 20}, new long[] {30, 40});

    assertThat(Measure.unionMillis(calls, 0, 100)).isEqualTo(30);
    assertThat(Measure.unionMillis(calls, 8, 35)).isEqualTo(17);
  }

  @Test
  void theTimeModelRecoversPrefillAndDecodeCostsFromCalls() {
    List<Measure.CallRow> calls = new ArrayList<>();
    int[][] sizes = {{600, 300}, {900, 250}, {1500, 1200}, {700, 400}, {2000, 1800}};
    for (int[] s : sizes) {
      calls.add(new Measure.CallRow(s[0], s[1], Math.round(200 + 2.0 * s[0] + 25.0 * s[1]), false));
    }
    calls.add(new Measure.CallRow(0, 0, 99_999, true)); // a failed call says nothing

    TimeModel m = TimeModel.fit(calls);

    assertThat(m.usable()).isTrue();
    assertThat(m.calls()).isEqualTo(5);
    assertThat(m.fixedMs()).isCloseTo(200, within(1.0));
    assertThat(m.msPerPromptToken()).isCloseTo(2.0, within(0.01));
    assertThat(m.msPerCompletionToken()).isCloseTo(25.0, within(0.01));
  }
}
