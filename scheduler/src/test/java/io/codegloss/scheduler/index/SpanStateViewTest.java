package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.store.SpanStates;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The span_state view is the one definition of a span's state; these are its rules. */
class SpanStateViewTest extends FreshIndexTest {

  @BeforeEach
  void setUp() throws Exception {
    fx.write("app/user.py", "class User:\n    def get(self):\n        return 1\n");
    fx.index();
  }

  private SpanStates.Counts counts() {
    return db.withConnection(c -> SpanStates.counts(c, null));
  }

  @Test
  void aNewSpanIsPendingAndPlannable() {
    SpanStates.Counts c = counts();
    assertThat(c.spans()).isEqualTo(2);
    assertThat(c.factsOnly()).isEqualTo(2);
    assertThat(c.notIndexed()).isZero();
    assertThat(c.enriched()).isZero();
    assertThat(c.unsettled()).isEqualTo(2);
  }

  @Test
  void aNoteForTheCurrentCodeMakesASpanEnrichedAndAnEditMakesItPendingAgain() throws Exception {
    fx.enrich(fx.spans().get("app/user.py:User.get").id());
    assertThat(counts().enriched()).isEqualTo(1);

    fx.write("app/user.py", "class User:\n    def get(self):\n        return 2\n");
    fx.index();

    assertThat(counts().enriched()).isZero();
  }

  @Test
  void aFailureForTheCurrentCodeIsFailedAndAPermanentOneIsSettled() {
    long get = fx.spans().get("app/user.py:User.get").id();
    fx.execute(
        "insert into span_failures (span_id, span_hash, attempts, last_error, next_attempt_at,"
            + " permanent) select id, content_hash, 1, 'refused', now() + interval '1 hour', true"
            + " from spans where id = "
            + get);

    SpanStates.Counts c = counts();
    assertThat(c.failed()).isEqualTo(1);
    assertThat(c.failedForGood()).isEqualTo(1);
    assertThat(c.unsettled()).isEqualTo(1);
    long repoId = fx.count("select id from repositories");
    List<SpanStates.Plannable> plannable =
        db.withConnection(cn -> SpanStates.plannable(cn, repoId, 10));
    assertThat(plannable).extracting(SpanStates.Plannable::symbol).containsExactly("User");
  }

  @Test
  void aNoteOfAnOlderGenerationIsNotCurrent() {
    fx.enrich(fx.spans().get("app/user.py:User.get").id());
    fx.execute("update repositories set generation = generation + 1");

    assertThat(counts().enriched()).isZero();
  }
}
