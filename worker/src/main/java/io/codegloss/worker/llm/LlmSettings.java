package io.codegloss.worker.llm;

import io.codegloss.core.config.Settings;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.queue.JobSizing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything the LLM backends read from the settings, resolved once. Every field is named after its
 * variable in {@link #from}; {@link #toString()} never shows the API key.
 *
 * @param backend embedded, ollama or openai
 * @param model the model name stored with every enrichment; null means the backend's default
 * @param modelPath the GGUF file the embedded backend loads
 * @param contextWindow tokens of prompt plus output the model accepts
 * @param timeoutOverride when set, replaces the deadline of every single attempt
 * @param connectTimeout TCP connect deadline of the HTTP backends
 * @param maxAttempts HTTP attempts per call, transient faults included
 * @param backoffBase first backoff delay; doubled per attempt, with jitter
 * @param maxRetryAfter the longest Retry-After the HTTP backends wait out in place
 * @param embeddedThreads llama.cpp threads of the embedded backend
 * @param embeddedParallel concurrent generations of the embedded backend (slots)
 * @param chatTemplate embedded prompt format: auto, gemma or model
 * @param systemRole HTTP backends: auto, system or user (fold the system text into the user turn)
 * @param ollamaHost base URL of Ollama, from OLLAMA_HOST
 * @param ollamaKeepAlive how long Ollama keeps the model loaded after a call
 * @param openaiBaseUrl base URL of the OpenAI-compatible server, with or without /v1
 * @param openaiApiKey bearer token; null sends no Authorization header
 * @param openaiResponseFormat auto, json_schema or json_object
 * @param promptShape auto, chat or completion (see {@link PromptShape#resolve})
 */
public record LlmSettings(
    String backend,
    @Nullable String model,
    Path modelPath,
    int contextWindow,
    @Nullable Duration timeoutOverride,
    Duration connectTimeout,
    int maxAttempts,
    Duration backoffBase,
    Duration maxRetryAfter,
    int embeddedThreads,
    int embeddedParallel,
    String chatTemplate,
    String systemRole,
    String ollamaHost,
    String ollamaKeepAlive,
    String openaiBaseUrl,
    @Nullable String openaiApiKey,
    String openaiResponseFormat,
    String promptShape) {

  public static final String BACKEND = "CODEGLOSS_BACKEND";
  public static final String MODEL = "CODEGLOSS_MODEL";
  public static final String MODEL_PATH = "CODEGLOSS_MODEL_PATH";
  public static final String EMBEDDED_THREADS = "CODEGLOSS_EMBEDDED_THREADS";
  public static final String EMBEDDED_PARALLEL = "CODEGLOSS_EMBEDDED_PARALLEL";

  public static final String DEFAULT_MODEL_FILE = "gemma-3-270m-q4_k_m.gguf";
  public static final String DEFAULT_OLLAMA_MODEL = "gemma3:270m";
  public static final String DEFAULT_OPENAI_BASE_URL = "http://127.0.0.1:8080/v1";

  /** The default GGUF location under {@code home} (CODEGLOSS_HOME). */
  public static Path defaultModelPath(Path home) {
    return home.resolve("models").resolve(DEFAULT_MODEL_FILE);
  }

  public static LlmSettings from(Settings s, Path home) {
    String backend = oneOf(s, BACKEND, "embedded", "embedded", "ollama", "openai");
    Optional<Duration> timeout =
        s.optional("CODEGLOSS_LLM_TIMEOUT_SECONDS")
            .map(
                v ->
                    Duration.ofSeconds(
                        s.intValue("CODEGLOSS_LLM_TIMEOUT_SECONDS", 600, 1, 24 * 3600)));
    int cores = Runtime.getRuntime().availableProcessors();
    return new LlmSettings(
        backend,
        s.optional(MODEL).orElse(null),
        s.optional(MODEL_PATH).map(Path::of).orElse(defaultModelPath(home)),
        s.intValue("CODEGLOSS_CONTEXT", JobSizing.DEFAULT_CONTEXT_TOKENS, 512, 1 << 20),
        timeout.orElse(null),
        Duration.ofSeconds(s.intValue("CODEGLOSS_LLM_CONNECT_TIMEOUT_SECONDS", 10, 1, 600)),
        s.intValue("CODEGLOSS_LLM_MAX_ATTEMPTS", 3, 1, 20),
        Duration.ofMillis(s.intValue("CODEGLOSS_LLM_BACKOFF_MILLIS", 1000, 1, 600_000)),
        Duration.ofSeconds(s.intValue("CODEGLOSS_LLM_MAX_RETRY_AFTER_SECONDS", 120, 0, 3600)),
        s.intValue(EMBEDDED_THREADS, cores, 1, 1024),
        s.intValue(EMBEDDED_PARALLEL, 1, 1, 64),
        oneOf(s, "CODEGLOSS_CHAT_TEMPLATE", "auto", "auto", "gemma", "model"),
        oneOf(s, "CODEGLOSS_SYSTEM_ROLE", "auto", "auto", "system", "user"),
        ollamaHost(s.string("OLLAMA_HOST", "")),
        s.string("CODEGLOSS_OLLAMA_KEEP_ALIVE", "30m"),
        s.string("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL),
        s.optional("OPENAI_API_KEY").orElse(null),
        oneOf(s, "CODEGLOSS_OPENAI_RESPONSE_FORMAT", "auto", "auto", "json_schema", "json_object"),
        oneOf(s, "CODEGLOSS_PROMPT_SHAPE", "auto", "auto", "chat", "completion"));
  }

  private static String oneOf(Settings s, String name, String dflt, String... allowed) {
    String v = s.string(name, dflt).toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw new ConfigException(
        "invalid value '"
            + v
            + "' for "
            + name
            + " (from "
            + s.source(name)
            + "): expected one of "
            + String.join(", ", allowed));
  }

  /**
   * OLLAMA_HOST the way the ollama CLI reads it: "host", "host:port", "scheme://host[:port]";
   * without a scheme the port defaults to 11434, and 0.0.0.0 (a bind address) means this machine.
   */
  static String ollamaHost(String raw) {
    String s = raw.trim();
    if (s.isEmpty()) {
      return "http://127.0.0.1:11434";
    }
    String scheme = "http";
    String defaultPort = "11434";
    int sep = s.indexOf("://");
    if (sep >= 0) {
      scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
      s = s.substring(sep + 3);
      defaultPort = scheme.equals("https") ? "443" : "80";
    }
    String path = "";
    int slash = s.indexOf('/');
    if (slash >= 0) {
      path = s.substring(slash).replaceAll("/+$", "");
      s = s.substring(0, slash);
    }
    String host = s;
    String port = defaultPort;
    int colon = s.lastIndexOf(':');
    if (colon > 0 && !s.endsWith("]") && s.indexOf(':') == colon) {
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    } else if (s.startsWith("[") && s.contains("]:")) {
      host = s.substring(0, s.indexOf("]:") + 1);
      port = s.substring(s.indexOf("]:") + 2);
    }
    if (host.isEmpty() || host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    return scheme + "://" + host + ":" + port + path;
  }

  @Override
  public String toString() {
    return "LlmSettings[backend="
        + backend
        + ", model="
        + model
        + ", modelPath="
        + modelPath
        + ", contextWindow="
        + contextWindow
        + ", ollamaHost="
        + ollamaHost
        + ", openaiBaseUrl="
        + openaiBaseUrl
        + ", openaiApiKey="
        + (openaiApiKey == null ? "unset" : "set")
        + "]";
  }
}
