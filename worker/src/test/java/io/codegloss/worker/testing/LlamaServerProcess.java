package io.codegloss.worker.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * A real llama-cpp-python OpenAI-compatible server on 127.0.0.1, started by a test and stopped by
 * {@link #close()}. Python comes from CODEGLOSS_LLM_SERVER_PYTHON or
 * $CODEGLOSS_HOME/llm-server-venv/bin/python ({@code scripts/llm-server.sh install}), the model
 * from CODEGLOSS_MODEL_PATH or $CODEGLOSS_HOME/models/gemma-3-270m-q4_k_m.gguf ({@code
 * scripts/fetch-model.sh}); when either is missing the calling test fails and says which script to
 * run.
 */
public final class LlamaServerProcess implements AutoCloseable {

  public static final String MODEL_ALIAS = "gemma-3-270m-q4_k_m";

  private final Process process;
  private final int port;
  private final Path log;
  private final Path modelPath;

  private LlamaServerProcess(Process process, int port, Path log, Path modelPath) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.modelPath = modelPath;
  }

  public static Path codeglossHome() {
    String h = System.getenv("CODEGLOSS_HOME");
    return h != null && !h.isBlank()
        ? Path.of(h)
        : Path.of(System.getProperty("user.home"), ".codegloss");
  }

  /** The default model, or the test fails naming scripts/fetch-model.sh. */
  public static Path requireModel() {
    String p = System.getenv("CODEGLOSS_MODEL_PATH");
    Path model =
        p != null && !p.isBlank()
            ? Path.of(p)
            : codeglossHome().resolve("models").resolve("gemma-3-270m-q4_k_m.gguf");
    if (!Files.isRegularFile(model)) {
      Assertions.fail("model file not found: " + model + "; run scripts/fetch-model.sh first");
    }
    return model;
  }

  public static Path requirePython() {
    String p = System.getenv("CODEGLOSS_LLM_SERVER_PYTHON");
    Path python =
        p != null && !p.isBlank()
            ? Path.of(p)
            : codeglossHome().resolve("llm-server-venv").resolve("bin").resolve("python");
    if (!Files.isExecutable(python)) {
      Assertions.fail(
          "llama-cpp-python server not installed at "
              + python
              + "; run scripts/llm-server.sh install (or set CODEGLOSS_LLM_SERVER_PYTHON)");
    }
    return python;
  }

  /** A server with an 8192-token context. */
  public static LlamaServerProcess start() {
    return start(8192);
  }

  public static LlamaServerProcess start(int contextTokens) {
    Path python = requirePython();
    Path model = requireModel();
    int port = freePort();
    try {
      Path log = logDir().resolve("llama-server-" + port + ".log");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  python.toString(),
                  "-m",
                  "llama_cpp.server",
                  "--model",
                  model.toString(),
                  "--model_alias",
                  MODEL_ALIAS,
                  "--chat_format",
                  "gemma",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--n_ctx",
                  Integer.toString(contextTokens),
                  "--n_threads",
                  Integer.toString(Runtime.getRuntime().availableProcessors()),
                  // verbose mode logs every decode step, megabytes per answer
                  "--verbose",
                  "False"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.remove("OPENAI_API_KEY");
      LlamaServerProcess server = new LlamaServerProcess(pb.start(), port, log, model);
      try {
        await("llama-cpp-python server on port " + port)
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(250))
            .until(server::answers);
      } catch (RuntimeException e) {
        String tail = server.logTail();
        server.close();
        throw new IllegalStateException("llama-cpp-python server did not start: " + tail, e);
      }
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + python, e);
    }
  }

  private boolean answers() {
    if (!process.isAlive()) {
      throw new IllegalStateException("server exited with " + process.exitValue());
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(baseUrl() + "/models").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  /** http://127.0.0.1:PORT/v1 */
  public String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  public int port() {
    return port;
  }

  public Path modelPath() {
    return modelPath;
  }

  public Path logFile() {
    return log;
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** target/ of the module under test when there is one, else the temp directory. */
  private static Path logDir() throws IOException {
    Path target = Path.of("target");
    return Files.isDirectory(target) ? target : Files.createTempDirectory("llama-server-logs");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
