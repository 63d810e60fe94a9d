package io.codegloss.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Database;
import io.codegloss.core.job.EnrichJobRequest;
import io.codegloss.core.queue.JobEnqueuer;
import io.codegloss.core.queue.JobSizing;
import io.codegloss.core.queue.Queue;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.JobPlan;
import io.codegloss.core.store.JobStatus;
import io.codegloss.core.store.JobTable;
import io.codegloss.testing.Rows;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import io.codegloss.worker.llm.LlmBackend;
import io.codegloss.worker.llm.LlmBackends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jobrunr.JobRunrException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's fallback, made finer, against an LLM endpoint that misbehaves on purpose (the faults a
 * small model really produces) and a real PostgreSQL: what validates is stored, only the failed
 * spans come back as single-span jobs, and every call is recorded.
 */
class EnrichJobRunnerFaultsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConcurrentLinkedQueue<MockResponse> answers = new ConcurrentLinkedQueue<>();
  private MockWebServer server;
  private TestDatabase t;
  private Database db;
  private Seed seed;
  private LlmBackend backend;
  private long repo;
  private final List<Long> spans = new ArrayList<>();
  private volatile Runnable beforeAnswer = () -> {};

  @BeforeEach
  void setUp(@TempDir Path home) throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            // chat (/v1/chat/completions) and text continuation (/v1/completions) alike
            if (request.getUrl().encodedPath().endsWith("/completions")) {
              beforeAnswer.run();
              MockResponse next = answers.poll();
              return next != null ? next : new MockResponse.Builder().code(500).build();
            }
            return new MockResponse.Builder().code(404).build();
          }
        });
    server.start();
    t = TestDatabase.fresh();
    db = t.database();
    seed = Seed.into(t);
    backend =
        LlmBackends.create(
            Settings.of(
                Map.of(
                    "CODEGLOSS_BACKEND", "openai",
                    "OPENAI_BASE_URL", server.url("/v1").toString(),
                    "CODEGLOSS_MODEL", "fault-model",
                    "CODEGLOSS_OPENAI_RESPONSE_FORMAT", "json_schema",
                    "CODEGLOSS_LLM_MAX_ATTEMPTS", "1")),
            home);
    seedUserClass();
  }

  @AfterEach
  void tearDown() throws Exception {
    backend.close();
    t.close();
    server.close();
  }

  @Test
  void aBatchWithOneInvalidItemStoresTheOthersAndReEnqueuesOnlyThatSpanAsASingleJob() {
    UUID batch = enqueueBatch();
    ArrayNode items = JSON.createArrayNode();
    items.add(item(1, "Returns the stored email address of the user without any checks."));
    items.add(item(2, "")); // an empty summary never validates
    items.add(item(3, "Checks that an email address has an at sign and a dotted domain."));
    answers.add(completion(JSON.createObjectNode().set("items", items).toString(), "stop"));

    runner().run(new EnrichJobRequest(batch));

    assertThat(
            longs(
                "select s.name from enrichments e join spans s on s.id = e.span_id order by s.id"))
        .containsExactly("get_email", "validate_email");
    assertThat(longs("select mode from enrichments")).containsOnly("batch");
    assertThat(
            longs(
                "select s.name from jobs j join job_spans js on js.job_id = j.id"
                    + " join spans s on s.id = js.span_id where j.parent_id = '"
                    + batch
                    + "' and j.kind = 'single'"))
        .containsExactly("set_email");
    assertThat(longs("select status from jobs where id = '" + batch + "'"))
        .containsExactly("partial");
    assertThat(longs("select outcome || ':' || items_valid || '/' || span_count from llm_calls"))
        .containsExactly("partial:2/3");
  }

  @Test
  void anAnswerThatArrivesAfterAnotherWorkerCompletedTheJobStoresNothingAndIsRecordedAsDiscarded() {
    UUID job = aJobCompletedElsewhereWhileTheModelAnswers();
    answers.add(
        completion(
            "{\"summary_120w\":\"Returns the stored email address of the user.\","
                + "\"pitfalls\":[],\"inputs\":[],\"outputs\":[],\"side_effects\":[]}",
            "stop"));

    runner().run(new EnrichJobRequest(job));

    assertTheLateAnswerIsDiscarded(job);
  }

  @Test
  void aDocCommentContinuationThatArrivesAfterAnotherWorkerCompletedTheJobIsDiscarded(
      @TempDir Path home) throws Exception {
    // The same race on a base model's path (DocCompletionRunner has a guard of its own).
    UUID job = aJobCompletedElsewhereWhileTheModelAnswers();
    answers.add(textCompletion(" Returns the stored email address of the user.", "stop"));

    try (LlmBackend base = baseModelBackend(home)) {
      runner(base).run(new EnrichJobRequest(job));
    }

    List<String> paths = new ArrayList<>();
    for (int i = 0; i < server.getRequestCount(); i++) {
      paths.add(server.takeRequest().getUrl().encodedPath());
    }
    assertThat(paths).as("asked as a base model").contains("/v1/completions");
    assertThat(paths).doesNotContain("/v1/chat/completions");
    assertTheLateAnswerIsDiscarded(job);
  }

  /**
   * A single-span job that, while this worker waits for its model (cut off, presumed dead), JobRunr
   * gives to another worker, which completes it.
   */
  private UUID aJobCompletedElsewhereWhileTheModelAnswers() {
    UUID job = enqueueSingle(spans.get(0));
    beforeAnswer =
        () ->
            db.inTransaction(
                (Database.TxAction) c -> JobTable.finish(c, job, JobStatus.SUCCEEDED, null));
    return job;
  }

  /** The other worker's completion stands: no note from this one, its call recorded as late. */
  private void assertTheLateAnswerIsDiscarded(UUID job) {
    assertThat(longs("select count(*) from enrichments")).containsExactly("0");
    assertThat(longs("select outcome || ': ' || error from llm_calls"))
        .containsExactly("error: " + EnrichJobRunner.LATE_ANSWER);
    assertThat(longs("select status from jobs where id = '" + job + "'"))
        .containsExactly("succeeded");
  }

  @Test
  void aKeyInAFunctionBodyNeverReachesTheModelServer() throws Exception {
    String key = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    seed.span(
        "User.client",
        s ->
            s.lines(22, 24)
                .code("def client(self):\n        return OpenAI(api_key=\"" + key + "\")\n")
                .signature("def client(self):")
                .hash("hash-client")
                .tokens(30));
    UUID job = enqueueSingle(seed.spanId(), "hash-client");
    answers.add(
        completion(
            "{\"summary_120w\":\"Builds an OpenAI client for the user.\",\"pitfalls\":[],"
                + "\"inputs\":[],\"outputs\":[],\"side_effects\":[]}",
            "stop"));

    runner().run(new EnrichJobRequest(job));

    // every request the worker made (token counting too), not only the completion
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < server.getRequestCount(); i++) {
      sent.append(server.takeRequest().getBody().utf8()).append('\n');
    }
    assertThat(sent.toString()).doesNotContain(key).contains("<redacted:openai-key>");
    // the call is counted for stats and the dashboard: one secret kept out of its prompt
    assertThat(longs("select secrets_redacted from llm_calls")).containsExactly("1");
  }

  /**
   * Found in the fleet bench: two huge test classes failed on every offer, "prompt of about 7834
   * tokens plus the output cap of 368 exceeds the context window of 8192", because the worker cut
   * their code to fit without the chat template's tokens that the backend then counted.
   */
  @Test
  void aSpanLargerThanTheWorkerIsCutToAPromptTheServerAcceptsTemplateTokensIncluded() {
    StringBuilder code = new StringBuilder("class Huge:\n");
    for (int i = 0; i < 3000; i++) {
      code.append("    field_").append(i).append(" = compute(").append(i).append(")\n");
    }
    seed.span(
        "Huge",
        s ->
            s.lines(30, 3030)
                .code(code.toString())
                .signature("class Huge:")
                .hash("hash-huge")
                .tokens(40_000));
    UUID job = enqueueSingle(seed.spanId(), "hash-huge");
    answers.add(
        completion(
            "{\"summary_120w\":\"Holds three thousand computed fields.\",\"pitfalls\":[],"
                + "\"inputs\":[],\"outputs\":[],\"side_effects\":[]}",
            "stop"));

    runner().run(new EnrichJobRequest(job));

    assertThat(longs("select outcome from llm_calls")).containsExactly("ok");
    assertThat(longs("select notes from enrichments where span_id = " + seed.spanId()))
        .singleElement()
        .asString()
        .startsWith("code cut to lines 30-");
  }

  @Test
  void aBatchWhoseEveryItemIsInvalidIsShownAsSplitIntoSingles() {
    UUID batch = enqueueBatch();
    ArrayNode items = JSON.createArrayNode();
    for (int i = 1; i <= 3; i++) {
      items.add(item(i, ""));
    }
    answers.add(completion(JSON.createObjectNode().set("items", items).toString(), "stop"));

    runner().run(new EnrichJobRequest(batch));

    assertThat(longs("select status from jobs where id = '" + batch + "'"))
        .containsExactly("split");
    assertThat(longs("select count(*) from jobs where parent_id = '" + batch + "'"))
        .containsExactly("3");
    assertThat(longs("select outcome from llm_calls")).containsExactly("invalid");
  }

  @Test
  void aBatchAnswerCutOffAtTheOutputCapSplitsEverySpanIntoASingleJob() {
    UUID batch = enqueueBatch();
    answers.add(
        completion("{\"items\":[{\"span_index\":1,\"summary_120w\":\"Returns the", "length"));

    runner().run(new EnrichJobRequest(batch));

    assertThat(longs("select count(*) from enrichments")).containsExactly("0");
    assertThat(
            longs(
                "select count(*) from jobs where parent_id = '" + batch + "' and kind = 'single'"))
        .containsExactly("3");
    assertThat(longs("select status from jobs where id = '" + batch + "'"))
        .containsExactly("split");
    assertThat(longs("select outcome from llm_calls")).containsExactly("error");
  }

  @Test
  void aFailedCallIsTimedFromItsTurnAtTheModelNotFromItsWaitForOne() throws Exception {
    UUID batch = enqueueBatch();
    answers.add(
        completion("{\"items\":[{\"span_index\":1,\"summary_120w\":\"Returns the", "length"));
    ModelCallGate gate = new ModelCallGate(1);
    ModelCallGate.Slot anotherJobsCall = gate.enter();
    Thread job = new Thread(() -> runner(backend, gate).run(new EnrichJobRequest(batch)));
    job.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
    // the other job's call goes on for a second while this one waits its turn
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    anotherJobsCall.close();
    job.join(10_000);

    assertThat(longs("select outcome from llm_calls")).containsExactly("error");
    assertThat(Long.parseLong(longs("select wall_ms from llm_calls").get(0))).isLessThan(1000);
  }

  @Test
  void aSingleSpanJobWhoseAnswerIsInvalidRecordsAFailureWithBackoffAndIsNotRetriedByJobRunr() {
    UUID single = enqueueSingle(spans.get(0));
    answers.add(completion("{\"summary_120w\": 42}", "stop"));

    assertThatThrownBy(() -> runner().run(new EnrichJobRequest(single)))
        .isInstanceOf(JobRunrException.class)
        .matches(e -> ((JobRunrException) e).isProblematicAndDoNotRetry());

    assertThat(longs("select attempts || ':' || (next_attempt_at > now()) from span_failures"))
        .containsExactly("1:true");
    assertThat(longs("select status from jobs where id = '" + single + "'"))
        .containsExactly("failed");
    assertThat(longs("select outcome from llm_calls")).containsExactly("invalid");
  }

  @Test
  void aSpanOfferedAgainWithThePromptThatWasAnsweredInvalidlyFailsForGoodWithoutAnotherCall() {
    answers.add(completion("{\"summary_120w\": \"\"}", "stop"));
    assertThatThrownBy(() -> runner().run(new EnrichJobRequest(enqueueSingle(spans.get(0), 0))))
        .isInstanceOf(JobRunrException.class);
    int requests = server.getRequestCount();

    // the planner offers the span again after its backoff, as a new job with the same prompt
    assertThatThrownBy(() -> runner().run(new EnrichJobRequest(enqueueSingle(spans.get(0), 1))))
        .isInstanceOf(JobRunrException.class)
        .hasMessageContaining("already answered this exact prompt invalidly");

    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(longs("select attempts || ':' || permanent from span_failures"))
        .containsExactly("2:true");
    assertThat(longs("select count(*) from llm_calls")).containsExactly("1");
  }

  @Test
  void aFailureRecordedForAnotherPromptDoesNotStopTheCall() {
    seed.failure(
        spans.get(0), f -> f.dueInSeconds(0).promptSha("a-prompt-with-other-neighbour-notes"));
    answers.add(
        completion(
            item(1, "Returns the stored email address of the user without any checks.")
                .without("span_index")
                .toString(),
            "stop"));

    runner().run(new EnrichJobRequest(enqueueSingle(spans.get(0), 1)));

    assertThat(longs("select outcome from llm_calls")).containsExactly("ok");
    assertThat(longs("select count(*) from enrichments")).containsExactly("1");
    assertThat(longs("select count(*) from span_failures")).containsExactly("0");
  }

  @Test
  void afterThreeBatchAnswersWithoutAValidItemTheNextBatchGoesStraightToSingleSpanJobs() {
    for (int i = 0; i < 3; i++) {
      priorBatchCall("invalid", 0);
    }
    UUID batch = enqueueBatch();

    runner().run(new EnrichJobRequest(batch));

    assertThat(server.getRequestCount()).isZero();
    assertThat(longs("select status || ': ' || last_error from jobs where id = '" + batch + "'"))
        .singleElement()
        .asString()
        .startsWith("split: batching paused for fault-model");
    assertThat(longs("select count(*) from jobs where parent_id = '" + batch + "'"))
        .containsExactly("3");
  }

  @Test
  void aGoodBatchAnswerAmongTheLastThreeLetsTheBatchBeSent() {
    priorBatchCall("invalid", 0);
    priorBatchCall("partial", 0);
    priorBatchCall("invalid", 0);
    priorBatchCall("invalid", 0);
    answers.add(completion(allValidItems(), "stop"));

    runner().run(new EnrichJobRequest(enqueueBatch()));

    assertThat(longs("select count(*) from enrichments where mode = 'batch'")).containsExactly("3");
  }

  @Test
  void invalidAnswersOlderThanTheProbeIntervalPauseNothingButAFreshOnePausesAgain() {
    for (int i = 0; i < 3; i++) {
      priorBatchCall("invalid", 601); // the probe is due after 600 s
    }
    assertThat(pauseReason()).isEmpty();
    priorBatchCall("invalid", 0);
    assertThat(pauseReason()).isPresent();
  }

  @Test
  void runningAFinishedJobAgainCallsNoModelAndWritesNothingTwice() {
    UUID batch = enqueueBatch();
    answers.add(completion(allValidItems(), "stop"));
    EnrichJobRunner runner = runner();
    runner.run(new EnrichJobRequest(batch));
    int requests = server.getRequestCount();

    runner.run(new EnrichJobRequest(batch)); // as JobRunr would after an orphaned retry

    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(longs("select count(*) from enrichments")).containsExactly("3");
    assertThat(longs("select count(*) from llm_calls")).containsExactly("1");
  }

  @Test
  void aJobWhoseSpansAllHaveANoteAlreadyFinishesWithoutACall() {
    UUID batch = enqueueBatch();
    spans.forEach(id -> seed.enrichment(id, e -> e.model("fault-model").mode("batch")));

    runner().run(new EnrichJobRequest(batch));

    assertThat(server.getRequestCount()).isZero();
    assertThat(longs("select status from jobs where id = '" + batch + "'"))
        .containsExactly("succeeded");
    assertThat(longs("select count(*) from enrichments")).containsExactly("3");
    assertThat(longs("select count(*) from llm_calls")).containsExactly("0");
  }

  @Test
  void aBatchAsksOnlyForItsSpansWithoutANote() throws Exception {
    UUID batch = enqueueBatch();
    seed.enrichment(spans.get(1), e -> e.model("fault-model").summary("Sets the address."));
    ArrayNode items = JSON.createArrayNode();
    items.add(item(1, "Returns the stored email address of the user without any checks."));
    items.add(item(2, "Checks that an email address has an at sign and a dotted domain."));
    answers.add(completion(JSON.createObjectNode().set("items", items).toString(), "stop"));

    runner().run(new EnrichJobRequest(batch));

    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < server.getRequestCount(); i++) {
      sent.append(server.takeRequest().getBody().utf8()).append('\n');
    }
    assertThat(sent.toString()).contains("def get_email").contains("def validate_email");
    assertThat(sent.toString()).doesNotContain("def set_email");
    assertThat(
            longs(
                "select s.name || ':' || e.mode from enrichments e join spans s on s.id ="
                    + " e.span_id order by s.id"))
        .containsExactly("get_email:batch", "set_email:single", "validate_email:batch");
    assertThat(longs("select status from jobs where id = '" + batch + "'"))
        .containsExactly("succeeded");
  }

  /** A batch call some worker made {@code secondsAgo} with this test's backend and model. */
  private void priorBatchCall(String outcome, int secondsAgo) {
    seed.call(
        c ->
            c.worker("w0")
                .backend("openai")
                .model("fault-model")
                .batch(3)
                .outcome(outcome)
                .secondsAgo(secondsAgo));
  }

  private Optional<String> pauseReason() {
    BatchPause pause = BatchPause.fromSettings(Settings.of(Map.of()));
    Database.TxWork<Optional<String>> read = c -> pause.reason(c, "openai", "fault-model");
    return db.withConnection(read);
  }

  private static String allValidItems() {
    ArrayNode items = JSON.createArrayNode();
    items.add(item(1, "Returns the stored email address of the user without any checks."));
    items.add(item(2, "Sets the email after validate_email accepts it, lower-cased."));
    items.add(item(3, "Checks that an email address has an at sign and a dotted domain."));
    return JSON.createObjectNode().set("items", items).toString();
  }

  private EnrichJobRunner runner() {
    return runner(backend);
  }

  private EnrichJobRunner runner(LlmBackend llm) {
    return runner(llm, new ModelCallGate(1));
  }

  private EnrichJobRunner runner(LlmBackend llm, ModelCallGate gate) {
    Queue client = Queue.openClientOnly(db.dataSource());
    return new EnrichJobRunner(
        db,
        llm,
        gate,
        new WorkerIdentity("w1", "localhost", 8192, 1),
        new JobEnqueuer(db, client),
        EnrichmentPipeline.create(llm, Settings.of(Map.of())));
  }

  /** The same server as a base model's: doc-comment continuation (DocCompletionRunner). */
  private LlmBackend baseModelBackend(Path home) {
    return LlmBackends.create(
        Settings.of(
            Map.of(
                "CODEGLOSS_BACKEND", "openai",
                "OPENAI_BASE_URL", server.url("/v1").toString(),
                "CODEGLOSS_MODEL", "fault-model",
                "CODEGLOSS_PROMPT_SHAPE", "completion",
                "CODEGLOSS_LLM_MAX_ATTEMPTS", "1")),
        home);
  }

  /** A prose item as the version 2 prompt asks for it (no evidence, usage or related names). */
  private static ObjectNode item(int index, String summary) {
    ObjectNode n = JSON.createObjectNode();
    n.put("span_index", index);
    n.put("summary_120w", summary);
    n.putArray("pitfalls");
    n.putArray("inputs");
    n.putArray("outputs");
    n.putArray("side_effects");
    return n;
  }

  private static MockResponse completion(String content, String finishReason) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode choice = n.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", finishReason);
    n.putObject("usage").put("prompt_tokens", 300).put("completion_tokens", 120);
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/json")
        .body(n.toString())
        .build();
  }

  /** A {@code /v1/completions} answer: the continuation of the prompt's open doc comment. */
  private static MockResponse textCompletion(String text, String finishReason) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode choice = n.putArray("choices").addObject();
    choice.put("index", 0);
    choice.put("text", text);
    choice.put("finish_reason", finishReason);
    n.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 12);
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/json")
        .body(n.toString())
        .build();
  }

  private void seedUserClass() {
    repo = seed.repo("/src/app").repoId();
    seed.file("app/user.py");
    String[] code = {
      "def get_email(self):\n        return self._email\n",
      "def set_email(self, email):\n        if not self.validate_email(email):\n"
          + "            raise ValueError(email)\n        self._email = email.lower()\n",
      "def validate_email(self, email):\n        return \"@\" in email and \".\" in email\n"
    };
    String[] names = {"get_email", "set_email", "validate_email"};
    int[][] lines = {{11, 12}, {14, 17}, {19, 20}};
    for (int i = 0; i < 3; i++) {
      int n = i;
      seed.span(
          "User." + names[n],
          s ->
              s.lines(lines[n][0], lines[n][1])
                  .code(code[n])
                  .signature(code[n].lines().findFirst().orElseThrow())
                  .hash("hash-" + names[n])
                  .tokens(30));
      spans.add(seed.spanId());
    }
  }

  private UUID enqueueBatch() {
    List<JobPlan.SpanRef> refs = new ArrayList<>();
    String[] names = {"get_email", "set_email", "validate_email"};
    for (int i = 0; i < 3; i++) {
      refs.add(new JobPlan.SpanRef(spans.get(i), "hash-" + names[i]));
    }
    return enqueue(JobKind.BATCH, refs);
  }

  private UUID enqueueSingle(long spanId) {
    return enqueueSingle(spanId, 0);
  }

  /** {@code round}: how many failures came before, as the planner counts them. */
  private UUID enqueueSingle(long spanId, String hash) {
    return enqueue(JobKind.SINGLE, List.of(new JobPlan.SpanRef(spanId, hash)), 0);
  }

  private UUID enqueueSingle(long spanId, int round) {
    return enqueue(JobKind.SINGLE, List.of(new JobPlan.SpanRef(spanId, "hash-get_email")), round);
  }

  private UUID enqueue(JobKind kind, List<JobPlan.SpanRef> refs) {
    return enqueue(kind, refs, 0);
  }

  private UUID enqueue(JobKind kind, List<JobPlan.SpanRef> refs, int round) {
    UUID id = JobPlan.plannedId(kind, 1, round, refs);
    JobPlan plan =
        new JobPlan(
            id, repo, null, kind, refs, JobSizing.jobTokens(90, refs.size()), 90, "test", null);
    new JobEnqueuer(db, Queue.openClientOnly(db.dataSource())).enqueue(List.of(plan));
    return id;
  }

  private List<String> longs(String sql) {
    return Rows.strings(db, sql);
  }
}
