package io.codegloss.worker.llm;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTP for the LLM backends: one shared OkHttp client for the process, explicit deadlines
 * per attempt, bounded retries of transient faults with exponential backoff and jitter, and the
 * translation of every HTTP or I/O failure into a one-line Retryable or Permanent error.
 */
final class HttpTransport {

  private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /**
   * The one client of the process. OkHttp's own silent retry is off: a POST that generated half an
   * answer must not be replayed behind our back, our loop decides and counts attempts.
   */
  private static final OkHttpClient SHARED =
      new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

  /** The answer of a successful exchange, or of a refusal handed back by {@code returnAsIs}. */
  record Reply(int code, String body, int attempts, @Nullable JsonNode json) {
    boolean ok() {
      return code >= 200 && code < 300;
    }
  }

  private final String backend;
  private final Duration connectTimeout;
  private final int maxAttempts;
  private final Duration backoffBase;
  private final Duration maxRetryAfter;
  private final @Nullable String secret;

  HttpTransport(String backend, LlmSettings s, @Nullable String secret) {
    this.backend = backend;
    this.connectTimeout = s.connectTimeout();
    this.maxAttempts = s.maxAttempts();
    this.backoffBase = s.backoffBase();
    this.maxRetryAfter = s.maxRetryAfter();
    this.secret = secret;
  }

  static OkHttpClient sharedClient() {
    return SHARED;
  }

  /**
   * POSTs {@code json} until it succeeds, fails permanently, or the attempts are used up.
   *
   * @param timeout deadline of one attempt (connect, send, generate, read)
   * @param returnAsIs a non-2xx reply it accepts is returned to the caller unclassified
   */
  Reply postJson(
      HttpUrl url,
      Map<String, String> headers,
      String json,
      Duration timeout,
      Predicate<Reply> returnAsIs) {
    OkHttpClient client =
        SHARED
            .newBuilder()
            .connectTimeout(min(connectTimeout, timeout))
            .writeTimeout(timeout)
            .readTimeout(timeout)
            .callTimeout(timeout)
            .build();
    Request.Builder rb = new Request.Builder().url(url).post(RequestBody.create(json, JSON));
    headers.forEach(rb::header);
    Request request = rb.build();
    String where = display(url);
    String last = "no attempt";
    for (int attempt = 1; ; attempt++) {
      Duration delay = backoff(attempt);
      try (Response r = client.newCall(request).execute()) {
        String body = r.body().string();
        Reply reply = new Reply(r.code(), body, attempt, null);
        if (reply.ok()) {
          JsonNode parsed = parseSuccess(body, where);
          if (parsed != null) {
            return new Reply(r.code(), body, attempt, parsed);
          }
          last = "the answer from " + where + " ends before its JSON does";
        } else if (returnAsIs.test(reply)) {
          return reply;
        } else {
          delay = classifyRefusal(r.code(), r.header("Retry-After"), body, where, delay);
          last = "HTTP " + r.code() + " from " + where + ": " + errorDetail(body);
        }
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new RetryableException(backend + ": interrupted while calling " + where, e);
        }
        last = describe(e, timeout) + " (" + where + ")";
      }
      last = redact(last);
      if (attempt >= maxAttempts) {
        throw new RetryableException(
            backend + ": gave up after " + attempt + " attempt(s): " + last);
      }
      log.debug("{}: attempt {} failed ({}); retrying in {} ms", backend, attempt, last, delay);
      sleep(delay);
    }
  }

  /**
   * Throws for a refusal that will not change on a retry; returns the delay before the retry of one
   * that may (429, 408, 5xx).
   */
  private Duration classifyRefusal(
      int code, @Nullable String retryAfterHeader, String body, String where, Duration backoff) {
    String detail = errorDetail(body);
    if (isOverflow(code, body)) {
      throw new PermanentException(
          backend + ": context overflow reported by " + where + ": " + detail);
    }
    if (code == 429) {
      Duration asked = retryAfter(retryAfterHeader);
      if (asked == null) {
        return backoff;
      }
      if (asked.compareTo(maxRetryAfter) > 0) {
        throw new RetryableException(
            backend
                + ": rate limited by "
                + where
                + ", retry after "
                + asked.toSeconds()
                + " s: "
                + detail);
      }
      return asked;
    }
    if (code >= 500 || code == 408) {
      return backoff;
    }
    throw new PermanentException(backend + ": HTTP " + code + " from " + where + ": " + detail);
  }

  /** One plain attempt with a short deadline, no retries (token counting, model discovery). */
  @Nullable Reply tryOnce(HttpUrl url, Map<String, String> headers, @Nullable String json) {
    OkHttpClient client =
        SHARED
            .newBuilder()
            .connectTimeout(connectTimeout)
            .readTimeout(Duration.ofSeconds(30))
            .callTimeout(Duration.ofSeconds(60))
            .build();
    Request.Builder rb = new Request.Builder().url(url);
    if (json != null) {
      rb.post(RequestBody.create(json, JSON));
    }
    headers.forEach(rb::header);
    try (Response r = client.newCall(rb.build()).execute()) {
      return new Reply(r.code(), r.body().string(), 1, null);
    } catch (IOException e) {
      log.debug("{}: {} failed: {}", backend, display(url), e.toString());
      return null;
    }
  }

  /**
   * The parsed body of a 2xx answer; null when it was cut short (a dropped connection without a
   * Content-Length reads as a short body, not as an I/O error). A body that is not JSON at all (an
   * HTML page from a proxy, a wrong base URL) fails the same way every time.
   */
  private @Nullable JsonNode parseSuccess(String body, String where) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      return n == null || n.isMissingNode() ? null : n;
    } catch (JsonEOFException cutShort) {
      return null;
    } catch (IOException e) {
      String head = body.replaceAll("\\s+", " ").trim();
      if (head.length() > 60) {
        head = head.substring(0, 60) + "...";
      }
      throw new PermanentException(
          backend + ": unreadable answer from " + where + ": not JSON: " + redact(head));
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private Duration backoff(int attempt) {
    long base = backoffBase.toMillis() << Math.min(attempt - 1, 16);
    long capped = Math.min(base, TimeUnit.MINUTES.toMillis(5));
    // "equal jitter": half fixed, half random, so workers that failed together spread out
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    return Duration.ofMillis(Math.max(1, jittered));
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException(backend + ": interrupted while backing off", e);
    }
  }

  /** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
  static @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /**
   * A refusal because the prompt does not fit. llama.cpp: 400 exceed_context_size_error;
   * llama-cpp-python and OpenAI: 400 context_length_exceeded; vLLM: 400 "maximum context length";
   * Ollama with truncate=false: 400 "input length exceeds the context length".
   */
  static boolean isOverflow(int code, String body) {
    if (code != 400 && code != 413 && code != 422 && code < 500) {
      return false;
    }
    String b = body.toLowerCase(Locale.ROOT);
    return b.contains("context_length_exceeded")
        || b.contains("exceed_context_size")
        || b.contains("maximum context length")
        || b.contains("exceeds the context length")
        || b.contains("exceeds the available context size")
        || b.contains("longer than the context length")
        || b.contains("prompt is too long")
        || b.contains("too many tokens")
        || ((b.contains("context length")
                || b.contains("context size")
                || b.contains("context window"))
            && (b.contains("exceed")
                || b.contains("too long")
                || b.contains("too large")
                || b.contains("maximum")));
  }

  /** The server's own error message, on one line, without secrets. */
  String errorDetail(String body) {
    String msg = body;
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      JsonNode e = n.path("error");
      if (e.isTextual()) {
        msg = e.asText();
      } else if (e.path("message").isTextual()) {
        msg = e.path("message").asText();
      } else if (n.path("detail").isTextual()) {
        msg = n.path("detail").asText();
      } else if (n.path("message").isTextual()) {
        msg = n.path("message").asText();
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body
    }
    msg = msg.replaceAll("\\s+", " ").trim();
    if (msg.isEmpty()) {
      msg = "(empty body)";
    }
    if (msg.length() > 300) {
      msg = msg.substring(0, 300) + "...";
    }
    return redact(msg);
  }

  String redact(String s) {
    return secret == null || secret.isEmpty() ? s : s.replace(secret, "***");
  }

  private static String describe(IOException e, Duration timeout) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof SocketTimeoutException) {
      return "no answer within " + timeout.toSeconds() + " s";
    }
    if (e instanceof InterruptedIOException) {
      return "timed out after " + timeout.toSeconds() + " s";
    }
    String m = e.getMessage();
    return (m == null ? e.getClass().getSimpleName() : m).replaceAll("\\s+", " ");
  }

  /** scheme://host:port/path, without user info or query. */
  static String display(HttpUrl url) {
    return url.scheme() + "://" + url.host() + ":" + url.port() + url.encodedPath();
  }
}
