package io.codegloss.testing;

import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The one way tests write rows: what the indexer, the planner and the workers would have stored,
 * straight into the schema, with defaults for everything a test does not state.
 *
 * <p>Each call inserts at once (committed) and makes the new row the current one: a file goes into
 * the current repository, a span into the current file, an enrichment or job is of the current
 * span. The getters return the ids of the current rows.
 *
 * <pre>{@code
 * Seed seed = Seed.into(testDb).repo("/src/shop").file("app/user.py");
 * long getter = seed.span("User.get_email").spanId();
 * long setter = seed.span("User.set_email", s -> s.lines(13, 16).tokens(200)).spanId();
 * seed.enrichment(getter, e -> e.model("qwen2.5-coder:7b"));
 * UUID job = seed.job(j -> j.status("processing").spans(setter)).jobId();
 * seed.worker("cpu-1", w -> w.maxTokens(4096)).call(c -> c.mode("batch").spans(3).secondsAgo(60));
 * }</pre>
 *
 * <p>Defaults: a span's kind is {@code method} when its symbol has a dot, else {@code function};
 * its lines follow the previous span of the file (10 lines, one blank line between); its code is a
 * Python stub with that many lines; its content hash is unique; its token estimate is a quarter of
 * its code's length. An enrichment is of the span's current code, repository generation and prompt
 * version 1. A job is an enqueued batch of 1000 tokens. Times are "seconds ago" against the
 * database clock.
 */
public final class Seed {

  private final DataSource dataSource;
  private final Map<Long, FileRow> files = new HashMap<>();
  private final Map<Long, Integer> nextLine = new HashMap<>();
  private final Map<Long, SpanRow> spans = new HashMap<>();
  private int sequence;
  private @Nullable Long repo;
  private @Nullable Long file;
  private @Nullable SpanRow span;
  private @Nullable UUID job;

  private Seed(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public static Seed into(DataSource dataSource) {
    return new Seed(dataSource);
  }

  public static Seed into(TestDatabase db) {
    return new Seed(db.database().dataSource());
  }

  // ------------------------------------------------------------------ the current rows

  public long repoId() {
    return current(repo, "repository");
  }

  public long fileId() {
    return current(file, "file");
  }

  public long spanId() {
    return current(span, "span").id();
  }

  /** The current span as it was inserted (a later {@link #editSpan} does not change it). */
  public SpanRow spanRow() {
    return current(span, "span");
  }

  public UUID jobId() {
    return current(job, "job");
  }

  /** Makes a repository created elsewhere (by the indexer, say) the current one. */
  public Seed inRepo(long repoId) {
    this.repo = repoId;
    return this;
  }

  /** Makes a file (and its repository) the current one. */
  public Seed inFile(long fileId) {
    this.repo = fileRow(fileId).repoId();
    this.file = fileId;
    return this;
  }

  // ------------------------------------------------------------------ repositories and files

  /** A repository at {@code root}, named after its last path segment. */
  public Seed repo(String root) {
    String name = root.substring(root.lastIndexOf('/') + 1);
    repo =
        insert("insert into repositories (root_path, name) values (?, ?) returning id", root, name);
    file = null;
    return this;
  }

  /** {@code enqueue --full}: the current repository's enrichments are no longer current. */
  public Seed newGeneration() {
    update("update repositories set generation = generation + 1 where id = ?", repoId());
    return this;
  }

  /** A file of the current repository, its language told by its extension. */
  public Seed file(String path) {
    return file(path, languageOf(path));
  }

  public Seed file(String path, String language) {
    long repoId = repoId();
    long id =
        insert(
            "insert into files (repo_id, path, language, size_bytes, mtime_ms, content_hash,"
                + " line_count) values (?, ?, ?, 1000, 0, ?, 1000) returning id",
            repoId,
            path,
            language,
            "file-" + path + "-" + ++sequence);
    files.put(id, new FileRow(repoId, path, language));
    file = id;
    return this;
  }

  // ------------------------------------------------------------------ spans

  /** A span of the current file; see the class comment for the defaults. */
  public Seed span(String symbol) {
    return span(symbol, s -> {});
  }

  public Seed span(String symbol, int startLine, int endLine) {
    return span(symbol, s -> s.lines(startLine, endLine));
  }

  public Seed span(String symbol, Consumer<SpanSpec> options) {
    SpanSpec s = new SpanSpec(symbol);
    options.accept(s);
    long fileId = fileId();
    FileRow f = fileRow(fileId);
    int start = s.startLine != null ? s.startLine : nextLine.getOrDefault(fileId, 1);
    int end = s.endLine != null ? s.endLine : start + 9;
    nextLine.merge(fileId, end + 2, Math::max);
    String name = symbol.substring(symbol.lastIndexOf('.') + 1);
    String kind = s.kind != null ? s.kind : symbol.contains(".") ? "method" : "function";
    String code = s.code != null ? s.code : stub(kind, name, end - start + 1);
    String hash = s.hash != null ? s.hash : "hash-" + symbol + "-" + ++sequence;
    int tokens = s.tokens != null ? s.tokens : Math.max(1, code.length() / 4);
    int endByte = code.getBytes(StandardCharsets.UTF_8).length;
    long id =
        insert(
            "insert into spans (repo_id, file_id, language, kind, node_type, name, symbol,"
                + " parent_id, start_line, end_line, start_byte, end_byte, signature, code,"
                + " content_hash, token_estimate)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) returning id",
            f.repoId(),
            fileId,
            f.language(),
            kind,
            kind.equals("class") ? "class_definition" : "function_definition",
            name,
            symbol,
            new OrNull(s.parent, Types.BIGINT),
            start,
            end,
            endByte,
            new OrNull(s.signature, Types.VARCHAR),
            code,
            hash,
            tokens);
    span =
        new SpanRow(
            id,
            f.repoId(),
            fileId,
            f.path(),
            f.language(),
            kind,
            name,
            symbol,
            s.parent,
            start,
            end,
            0,
            endByte,
            s.signature,
            code,
            hash,
            tokens);
    spans.put(id, span);
    return this;
  }

  /** An edit of the span's code: its content hash changes, so its enrichments are stale. */
  public Seed editSpan(long spanId) {
    update("update spans set content_hash = content_hash || '-edited' where id = ?", spanId);
    return this;
  }

  public Seed editSpan(long spanId, String newHash) {
    update("update spans set content_hash = ? where id = ?", newHash, spanId);
    return this;
  }

  /** The indexer dropped the span (its code was deleted). */
  public Seed deleteSpan(long spanId) {
    update("delete from spans where id = ?", spanId);
    return this;
  }

  /**
   * Facts of the span's current code, as the indexer's analysis would store them: {@code json} is
   * the stored form ({@code {"signature": ..., "params": [{"name": ...}], "docstring": ...}}).
   */
  public Seed facts(long spanId, String json) {
    update(
        "insert into span_facts (span_id, span_hash, analyzer_version, facts)"
            + " select id, content_hash, 1, ?::jsonb from spans where id = ?"
            + " on conflict (span_id) do update set span_hash = excluded.span_hash,"
            + " facts = excluded.facts",
        json,
        spanId);
    return this;
  }

  // ------------------------------------------------------------------ enrichments and failures

  /** An enrichment of the current span. */
  public Seed enrichment() {
    return enrichment(spanId(), e -> {});
  }

  public Seed enrichment(Consumer<EnrichmentSpec> options) {
    return enrichment(spanId(), options);
  }

  public Seed enrichment(long spanId) {
    return enrichment(spanId, e -> {});
  }

  /** An enrichment of the span's current code, unless a {@code hash} of older code is given. */
  public Seed enrichment(long spanId, Consumer<EnrichmentSpec> options) {
    EnrichmentSpec e = new EnrichmentSpec();
    options.accept(e);
    update(
        "insert into enrichments (span_id, model, prompt_version, span_hash, schema_version,"
            + " generation, backend, mode, summary, payload, worker, summary_source)"
            + " select s.id, ?, coalesce(?, codegloss_current_prompt_version()),"
            + " coalesce(?, s.content_hash), 1, r.generation, 'test', ?, ?,"
            + " ?::jsonb, 'w1', ? from spans s join repositories r on r.id = s.repo_id"
            + " where s.id = ?",
        e.model,
        new OrNull(e.promptVersion, Types.INTEGER),
        new OrNull(e.hash, Types.VARCHAR),
        e.mode,
        e.summary,
        e.payload,
        e.summarySource,
        spanId);
    return this;
  }

  /**
   * A call at {@code line} of span {@code fromSpanId}, resolved to {@code toSpanId} (or null while
   * unresolved), after the span's other calls: what the indexer's call analysis stores.
   */
  public Seed spanCall(long fromSpanId, int line, String calleeName, @Nullable Long toSpanId) {
    update(
        "insert into span_calls (from_span_id, ordinal, repo_id, line, callee_name, to_span_id)"
            + " select s.id, coalesce((select max(ordinal) + 1 from span_calls"
            + " where from_span_id = s.id), 0), s.repo_id, ?, ?, ? from spans s where s.id = ?",
        line,
        calleeName,
        new OrNull(toSpanId, Types.BIGINT),
        fromSpanId);
    return this;
  }

  /** A failure of the span's current code; by default one attempt, due again in five minutes. */
  public Seed failure(long spanId) {
    return failure(spanId, f -> {});
  }

  public Seed failure(long spanId, Consumer<FailureSpec> options) {
    FailureSpec f = new FailureSpec();
    options.accept(f);
    update(
        "insert into span_failures (span_id, span_hash, attempts, last_error, next_attempt_at,"
            + " permanent, prompt_sha)"
            + " select s.id, s.content_hash, ?, ?, now() + make_interval(secs => ?), ?, ?"
            + " from spans s where s.id = ?",
        f.attempts,
        f.error,
        f.dueInSeconds,
        f.permanent,
        new OrNull(f.promptSha, Types.VARCHAR),
        spanId);
    return this;
  }

  // ------------------------------------------------------------------ jobs

  /** A job of the current repository without spans. */
  public Seed job(String kind, String status, int tokens) {
    return job(j -> j.kind(kind).status(status).tokens(tokens));
  }

  /** A job; of the repository of its first span, else of the current repository. */
  public Seed job(Consumer<JobSpec> options) {
    JobSpec j = new JobSpec();
    options.accept(j);
    UUID id = UUID.randomUUID();
    long repoId = j.spans.isEmpty() ? repoId() : repoOfSpan(j.spans.keySet().iterator().next());
    update(
        "insert into jobs (id, repo_id, kind, tokens, span_tokens, status, attempts, last_error,"
            + " worker) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        repoId,
        j.kind,
        j.tokens,
        j.tokens / 2,
        j.status,
        j.attempts,
        new OrNull(j.error, Types.VARCHAR),
        new OrNull(j.worker, Types.VARCHAR));
    job = id;
    j.spans.forEach((spanId, ordinal) -> jobSpan(id, spanId, ordinal));
    return this;
  }

  /** Puts the span, with its current hash, into the job at {@code ordinal} (1-based). */
  public Seed jobSpan(UUID jobId, long spanId, int ordinal) {
    update(
        "insert into job_spans (job_id, span_id, span_hash, ordinal)"
            + " select ?, id, content_hash, ? from spans where id = ?",
        jobId,
        ordinal,
        spanId);
    return this;
  }

  public Seed jobStatus(UUID jobId, String status) {
    update("update jobs set status = ? where id = ?", status, jobId);
    return this;
  }

  // ------------------------------------------------------------------ workers and calls

  /** A running worker with a heartbeat now. */
  public Seed worker(String name) {
    return worker(name, w -> {});
  }

  public Seed worker(String name, Consumer<WorkerSpec> options) {
    WorkerSpec w = new WorkerSpec();
    options.accept(w);
    update(
        "insert into workers (name, host, max_tokens, concurrency, backend, model, version,"
            + " current_jobs, current_calls, calls_busy_pct)"
            + " values (?, ?, ?, ?, ?, ?, '0.1.0', ?, ?, ?)",
        name,
        name + ".lan",
        w.maxTokens,
        w.concurrency,
        w.backend,
        w.model,
        w.currentJobs,
        w.currentCalls,
        w.callsBusyPercent);
    return this;
  }

  /** Sets the worker's last heartbeat to {@code secondsAgo} before the database's now. */
  public Seed heartbeat(String worker, int secondsAgo) {
    update(
        "update workers set last_heartbeat = now() - make_interval(secs => ?) where name = ?",
        secondsAgo,
        worker);
    return this;
  }

  public Seed workerState(String worker, String state) {
    update("update workers set state = ? where name = ?", state, worker);
    return this;
  }

  /** One LLM call; by default a successful single-span call that just finished. */
  public Seed call(Consumer<CallSpec> options) {
    CallSpec c = new CallSpec();
    options.accept(c);
    int valid = c.valid != null ? c.valid : c.outcome.equals("ok") ? c.spans : 0;
    insert(
        "insert into llm_calls (job_id, worker, backend, model, mode, span_count, items_valid,"
            + " prompt_tokens, completion_tokens, wall_ms, outcome, error, secrets_redacted,"
            + " created_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() - make_interval(secs => ?))"
            + " returning id",
        new OrNull(c.job, Types.OTHER),
        c.worker,
        c.backend,
        c.model,
        c.mode,
        c.spans,
        valid,
        c.promptTokens,
        c.completionTokens,
        c.wallMs,
        c.outcome,
        new OrNull(c.error, Types.VARCHAR),
        c.secretsRedacted,
        c.secondsAgo);
    return this;
  }

  // ------------------------------------------------------------------ options

  /** A span's columns beyond its symbol. */
  public static final class SpanSpec {
    private final String symbol;
    private @Nullable String kind;
    private @Nullable Long parent;
    private @Nullable Integer startLine;
    private @Nullable Integer endLine;
    private @Nullable Integer tokens;
    private @Nullable String signature;
    private @Nullable String code;
    private @Nullable String hash;

    private SpanSpec(String symbol) {
      this.symbol = symbol;
    }

    /** {@code function}, {@code method} or {@code class}. */
    public SpanSpec kind(String kind) {
      this.kind = kind;
      return this;
    }

    public SpanSpec parent(long parentId) {
      this.parent = parentId;
      return this;
    }

    public SpanSpec lines(int start, int end) {
      if (end < start) {
        throw new IllegalArgumentException(symbol + ": lines " + start + "-" + end);
      }
      this.startLine = start;
      this.endLine = end;
      return this;
    }

    public SpanSpec tokens(int tokenEstimate) {
      this.tokens = tokenEstimate;
      return this;
    }

    public SpanSpec signature(@Nullable String signature) {
      this.signature = signature;
      return this;
    }

    public SpanSpec code(String code) {
      this.code = code;
      return this;
    }

    public SpanSpec hash(String contentHash) {
      this.hash = contentHash;
      return this;
    }
  }

  public static final class EnrichmentSpec {
    private String model = "test-model";

    /** By default the oldest prompt version the database counts as current. */
    private @Nullable Integer promptVersion;

    private @Nullable String hash;
    private String mode = "single";
    private String summary = "summary";
    private String payload = "{}";
    private String summarySource = "model";

    private EnrichmentSpec() {}

    /** The stored note JSON ({@code summary_120w}, {@code pitfalls}, ...); by default empty. */
    public EnrichmentSpec payload(String json) {
      this.payload = json;
      return this;
    }

    /** The summary is the span's own docstring, not model prose. */
    public EnrichmentSpec fromDocstring() {
      this.summarySource = "docstring";
      return this;
    }

    public EnrichmentSpec model(String model) {
      this.model = model;
      return this;
    }

    public EnrichmentSpec promptVersion(int promptVersion) {
      this.promptVersion = promptVersion;
      return this;
    }

    /** The hash of the code it describes; by default the span's current hash. */
    public EnrichmentSpec hash(String spanHash) {
      this.hash = spanHash;
      return this;
    }

    /** {@code single} or {@code batch}. */
    public EnrichmentSpec mode(String mode) {
      this.mode = mode;
      return this;
    }

    public EnrichmentSpec summary(String summary) {
      this.summary = summary;
      return this;
    }
  }

  public static final class FailureSpec {
    private int attempts = 1;
    private String error = "invalid JSON";
    private int dueInSeconds = 300;
    private boolean permanent;
    private @Nullable String promptSha;

    private FailureSpec() {}

    public FailureSpec attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public FailureSpec error(String lastError) {
      this.error = lastError;
      return this;
    }

    /** When the span may be tried again, from the database's now; negative: already due. */
    public FailureSpec dueInSeconds(int seconds) {
      this.dueInSeconds = seconds;
      return this;
    }

    /** A failure for good: never tried again for the same code. */
    public FailureSpec permanent() {
      this.permanent = true;
      return this;
    }

    /** The fingerprint of the prompt that was answered invalidly. */
    public FailureSpec promptSha(String promptSha) {
      this.promptSha = promptSha;
      return this;
    }
  }

  public static final class JobSpec {
    private String kind = "batch";
    private String status = "enqueued";
    private int tokens = 1000;
    private int attempts;
    private @Nullable String error;
    private @Nullable String worker;
    private final Map<Long, Integer> spans = new LinkedHashMap<>();

    private JobSpec() {}

    /** {@code batch} or {@code single}. */
    public JobSpec kind(String kind) {
      this.kind = kind;
      return this;
    }

    /** enqueued, processing, succeeded, partial, split or failed. */
    public JobSpec status(String status) {
      this.status = status;
      return this;
    }

    /** Prompt plus output cap; the spans' own tokens default to half of it. */
    public JobSpec tokens(int tokens) {
      this.tokens = tokens;
      return this;
    }

    /** Failed for good after {@code attempts} with {@code error}. */
    public JobSpec failed(String error, int attempts) {
      this.status = "failed";
      this.error = error;
      this.attempts = attempts;
      return this;
    }

    /** Being processed by {@code worker}. */
    public JobSpec processingOn(String worker) {
      this.status = "processing";
      this.worker = worker;
      return this;
    }

    /** The job's spans with their current hashes, in prompt order (ordinals 1..n). */
    public JobSpec spans(long... spanIds) {
      for (long id : spanIds) {
        spans.put(id, spans.size() + 1);
      }
      return this;
    }
  }

  public static final class WorkerSpec {
    private int maxTokens = 4096;
    private int concurrency = 1;
    private String backend = "llama";
    private String model = "test-model";
    private int currentJobs;
    private int currentCalls;
    private Integer callsBusyPercent;

    private WorkerSpec() {}

    public WorkerSpec maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public WorkerSpec concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public WorkerSpec backend(String backend) {
      this.backend = backend;
      return this;
    }

    public WorkerSpec model(String model) {
      this.model = model;
      return this;
    }

    public WorkerSpec currentCalls(int currentCalls) {
      this.currentCalls = currentCalls;
      return this;
    }

    /** The share of its call slots in use between its last two heartbeats; null: not reported. */
    public WorkerSpec callsBusyPercent(int callsBusyPercent) {
      this.callsBusyPercent = callsBusyPercent;
      return this;
    }

    public WorkerSpec currentJobs(int currentJobs) {
      this.currentJobs = currentJobs;
      return this;
    }
  }

  public static final class CallSpec {
    private @Nullable UUID job;
    private String worker = "w1";
    private String backend = "llama";
    private String model = "test-model";
    private String mode = "single";
    private int spans = 1;
    private @Nullable Integer valid;
    private int promptTokens = 100;
    private int completionTokens = 50;
    private long wallMs = 1000;
    private String outcome = "ok";
    private @Nullable String error;
    private int secondsAgo;
    private int secretsRedacted;

    private CallSpec() {}

    /** Secrets the redactor cut out of this call's prompt. */
    public CallSpec secretsRedacted(int count) {
      this.secretsRedacted = count;
      return this;
    }

    public CallSpec job(UUID jobId) {
      this.job = jobId;
      return this;
    }

    public CallSpec worker(String worker) {
      this.worker = worker;
      return this;
    }

    public CallSpec backend(String backend) {
      this.backend = backend;
      return this;
    }

    public CallSpec model(String model) {
      this.model = model;
      return this;
    }

    /** A batch call of {@code spanCount} spans. */
    public CallSpec batch(int spanCount) {
      this.mode = "batch";
      this.spans = spanCount;
      return this;
    }

    /** {@code single} or {@code batch}. */
    public CallSpec mode(String mode) {
      this.mode = mode;
      return this;
    }

    public CallSpec spans(int spanCount) {
      this.spans = spanCount;
      return this;
    }

    /** How many items validated; by default all when the outcome is ok, else none. */
    public CallSpec valid(int itemsValid) {
      this.valid = itemsValid;
      return this;
    }

    public CallSpec tokens(int prompt, int completion) {
      this.promptTokens = prompt;
      this.completionTokens = completion;
      return this;
    }

    public CallSpec wallMs(long wallMs) {
      this.wallMs = wallMs;
      return this;
    }

    /** ok, partial, invalid or error. */
    public CallSpec outcome(String outcome) {
      this.outcome = outcome;
      return this;
    }

    /** A failed call: outcome {@code error} with this message. */
    public CallSpec failed(String error) {
      this.outcome = "error";
      this.error = error;
      return this;
    }

    public CallSpec error(String error) {
      this.error = error;
      return this;
    }

    /** When the call finished, before the database's now. */
    public CallSpec secondsAgo(int seconds) {
      this.secondsAgo = seconds;
      return this;
    }
  }

  // ------------------------------------------------------------------ rows

  /** A span as inserted, with its file's path and language. */
  public record SpanRow(
      long id,
      long repoId,
      long fileId,
      String path,
      String language,
      String kind,
      String name,
      String symbol,
      @Nullable Long parentId,
      int startLine,
      int endLine,
      int startByte,
      int endByte,
      @Nullable String signature,
      String code,
      String hash,
      int tokens) {

    /** The span as the worker reads it. */
    public Span toSpan() {
      return new Span(
          id,
          repoId,
          fileId,
          path,
          language,
          SpanKind.valueOf(kind.toUpperCase(Locale.ROOT)),
          name,
          symbol,
          parentId,
          startLine,
          endLine,
          startByte,
          endByte,
          signature,
          null,
          code,
          hash,
          tokens);
    }
  }

  private record FileRow(long repoId, String path, String language) {}

  /** A parameter that may be null, with the SQL type to bind the null as. */
  private record OrNull(@Nullable Object value, int sqlType) {}

  // ------------------------------------------------------------------ plumbing

  private FileRow fileRow(long fileId) {
    FileRow known = files.get(fileId);
    if (known != null) {
      return known;
    }
    FileRow row =
        query(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("select repo_id, path, language from files where id = ?")) {
                ps.setLong(1, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                  if (!rs.next()) {
                    throw new IllegalArgumentException("no file " + fileId);
                  }
                  return new FileRow(rs.getLong(1), rs.getString(2), rs.getString(3));
                }
              }
            });
    files.put(fileId, row);
    return row;
  }

  private long repoOfSpan(long spanId) {
    SpanRow known = spans.get(spanId);
    if (known != null) {
      return known.repoId();
    }
    return query(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("select repo_id from spans where id = ?")) {
            ps.setLong(1, spanId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw new IllegalArgumentException("no span " + spanId);
              }
              return rs.getLong(1);
            }
          }
        });
  }

  private static String stub(String kind, String name, int lines) {
    String head =
        switch (kind) {
          case "class" -> "class " + name + ":\n";
          case "method" -> "def " + name + "(self):\n";
          default -> "def " + name + "():\n";
        };
    return head + "    pass\n".repeat(Math.max(1, lines - 1));
  }

  private static String languageOf(String path) {
    String ext = path.substring(path.lastIndexOf('.') + 1);
    return switch (ext) {
      case "js", "mjs", "cjs" -> "javascript";
      case "ts" -> "typescript";
      case "tsx" -> "tsx";
      case "go" -> "go";
      case "rs" -> "rust";
      case "java" -> "java";
      case "c", "h" -> "c";
      case "cc", "cpp", "hpp" -> "cpp";
      case "cs" -> "c_sharp";
      case "rb" -> "ruby";
      default -> "python";
    };
  }

  private static <T> T current(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalStateException("no current " + what + ": seed one first");
    }
    return value;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T query(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      T result = work.run(c);
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private long insert(String sql, Object... params) {
    return query(
        c -> {
          try (PreparedStatement ps = prepare(c, sql, params);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private void update(String sql, Object... params) {
    int rows =
        query(
            c -> {
              try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
              }
            });
    if (rows == 0) {
      throw new IllegalStateException("no row matched: " + sql);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof OrNull n) {
          if (n.value() == null) {
            ps.setNull(i + 1, n.sqlType());
          } else {
            ps.setObject(i + 1, n.value());
          }
        } else {
          ps.setObject(i + 1, params[i]);
        }
      }
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }
}
