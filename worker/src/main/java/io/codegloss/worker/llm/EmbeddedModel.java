package io.codegloss.worker.llm;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import io.codegloss.core.error.ConfigException;
import io.codegloss.core.error.PermanentException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one llama.cpp model of this process. de.kherud:llama starts a native server thread that keeps
 * the JVM alive and whose {@code close()} leaks, so a model is loaded at most once and never
 * closed: every embedded backend of the process shares it, and callers take one of its slots.
 *
 * <p>{@link #slots} holds one permit per llama.cpp slot ({@code --parallel}); with one slot, the
 * default for a small CPU, concurrent callers wait their turn instead of slowing each other down.
 * llama.cpp splits {@code --ctx-size} evenly between slots, so it is asked for context x slots.
 */
final class EmbeddedModel {

  final Key key;
  final LlamaModel llama;
  final Semaphore slots;
  final long loadMillis;

  private EmbeddedModel(Key key, LlamaModel llama, long loadMillis) {
    this.key = key;
    this.llama = llama;
    this.slots = new Semaphore(key.parallel(), true);
    this.loadMillis = loadMillis;
  }

  private static final Logger log = LoggerFactory.getLogger(EmbeddedModel.class);
  private static final Logger nativeLog = LoggerFactory.getLogger("io.codegloss.llama.cpp");

  /** What a loaded model is: a second request must ask for the same. */
  record Key(Path path, int contextPerSlot, int threads, int parallel) {}

  private static @Nullable EmbeddedModel loaded;

  private static boolean nativeLoaded;

  /**
   * Loads llama.cpp's native library, once per process. The binding announces the extraction of the
   * library on stdout, which would corrupt the JSON of {@code --json} commands; while the class
   * initialises, stdout is captured and goes to the log. Every first use of the binding goes
   * through here.
   */
  static synchronized void loadNative() {
    if (nativeLoaded) {
      return;
    }
    PrintStream stdout = System.out;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
    try {
      Class.forName("de.kherud.llama.LlamaModel", true, EmbeddedModel.class.getClassLoader());
      nativeLoaded = true;
    } catch (ClassNotFoundException | LinkageError e) {
      throw new PermanentException(
          "cannot load llama.cpp's native library: " + String.valueOf(e.getMessage()), e);
    } finally {
      System.setOut(stdout);
      String text = said.toString(StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        log.debug("llama.cpp binding: {}", text);
      }
    }
  }

  static synchronized EmbeddedModel acquire(Key key) {
    if (!Files.isRegularFile(key.path())) {
      throw new ConfigException(
          "model file not found: "
              + key.path()
              + " (run scripts/fetch-model.sh, or set CODEGLOSS_MODEL_PATH)");
    }
    if (loaded != null) {
      if (!loaded.key.equals(key)) {
        throw new ConfigException(
            "this process already runs the embedded model "
                + loaded.key.path()
                + " (context "
                + loaded.key.contextPerSlot()
                + ", "
                + loaded.key.parallel()
                + " slot(s)); one embedded model per process, asked for "
                + key);
      }
      return loaded;
    }
    loadNative();
    LlamaModel.setLogger(LogFormat.TEXT, EmbeddedModel::nativeLog);
    long start = System.nanoTime();
    ModelParameters p =
        new ModelParameters()
            .setModel(key.path().toString())
            .setCtxSize(key.contextPerSlot() * key.parallel())
            .setParallel(key.parallel())
            .setThreads(key.threads())
            .setThreadsBatch(key.threads())
            // The server loop inside the binding prints every slot update to stdout, past the
            // logger callback; failures still surface as exceptions.
            .disableLog();
    LlamaModel llama;
    try {
      llama = new LlamaModel(p);
    } catch (RuntimeException e) {
      throw new PermanentException(
          "cannot load the model " + key.path() + ": " + String.valueOf(e.getMessage()), e);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    log.info(
        "embedded model {} loaded in {} ms ({} thread(s), {} slot(s) of {} tokens)",
        key.path().getFileName(),
        ms,
        key.threads(),
        key.parallel(),
        key.contextPerSlot());
    loaded = new EmbeddedModel(key, llama, ms);
    return loaded;
  }

  private static void nativeLog(LogLevel level, String message) {
    String m = message.stripTrailing();
    if (m.isEmpty()) {
      return;
    }
    switch (level) {
      case ERROR -> nativeLog.error("{}", m);
      case WARN -> nativeLog.warn("{}", m);
      default -> nativeLog.debug("{}", m);
    }
  }
}
