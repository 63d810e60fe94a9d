package io.codegloss.worker.llm;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.Pair;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * llama.cpp in this process through de.kherud:llama: the JSON schema becomes a GBNF grammar, the
 * prompt is wrapped in the model's turn format, decoding is greedy and capped, and tokens are
 * counted with the model's own tokenizer.
 */
final class EmbeddedBackend implements LlmBackend {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBackend.class);
  private static final Map<String, String> GRAMMARS = new ConcurrentHashMap<>();

  private final LlmSettings settings;
  final EmbeddedModel model;
  private final String modelName;
  private final boolean gemmaTurns;
  private final PromptShape shape;

  EmbeddedBackend(LlmSettings s) {
    this.settings = s;
    this.model =
        EmbeddedModel.acquire(
            new EmbeddedModel.Key(
                s.modelPath().toAbsolutePath().normalize(),
                s.contextWindow(),
                s.embeddedThreads(),
                s.embeddedParallel()));
    String file = s.modelPath().getFileName().toString();
    this.modelName = s.model() != null ? s.model() : file.replaceFirst("(?i)\\.gguf$", "");
    this.gemmaTurns =
        switch (s.chatTemplate()) {
          case "gemma" -> true;
          case "model" -> false;
          default -> file.toLowerCase(Locale.ROOT).contains("gemma");
        };
    this.shape = PromptShape.resolve(s);
  }

  @Override
  public String name() {
    return "embedded";
  }

  @Override
  public String model() {
    return modelName;
  }

  @Override
  public PromptShape promptShape() {
    return shape;
  }

  @Override
  public int contextWindow() {
    return settings.contextWindow();
  }

  @Override
  public int countTokens(String text) {
    return model.llama.encode(text).length;
  }

  @Override
  public boolean exactTokenCounts() {
    return true;
  }

  /**
   * Gemma 3's turn format (the official template puts the system text at the head of the first user
   * turn); other models get the chat template stored in their GGUF, applied by llama.cpp. The BOS
   * token is added by llama.cpp when it tokenizes the prompt.
   */
  String prompt(LlmRequest r) {
    return prompt(r.system(), r.user());
  }

  private String prompt(String system, String user) {
    if (gemmaTurns) {
      return "<start_of_turn>user\n"
          + system
          + "\n\n"
          + user
          + "<end_of_turn>\n<start_of_turn>model\n";
    }
    return model.llama.applyTemplate(
        new InferenceParameters("").setMessages(system, List.of(new Pair<>("user", user))));
  }

  /** Exact: the templated prompt as {@link #complete} sends it, with BOS. */
  @Override
  public int chatPromptTokens(String system, String user) {
    return promptTokens(prompt(system, user));
  }

  private int promptTokens(String prompt) {
    return model.llama.encode(prompt).length + 1;
  }

  /**
   * The prompt's tokens (with BOS), refused before any work when prompt plus output cap would not
   * fit the context: llama.cpp would otherwise shift the context and answer about a cut prompt.
   */
  private int fittingPrompt(String prompt, int cap) {
    int promptTokens = promptTokens(prompt);
    if (promptTokens + cap > contextWindow()) {
      throw new PermanentException(
          "embedded: prompt of "
              + promptTokens
              + " tokens plus the output cap of "
              + cap
              + " exceeds the context window of "
              + contextWindow()
              + " (CODEGLOSS_CONTEXT)");
    }
    return promptTokens;
  }

  private Duration timeout(Duration requested) {
    return settings.timeoutOverride() != null ? settings.timeoutOverride() : requested;
  }

  /**
   * Greedy decoding with a fixed seed (the same prompt gets the same answer, which the refused-
   * prompt fingerprint relies on) and the prompt cache on (a shared prefix is evaluated once).
   */
  private static InferenceParameters greedy(String prompt, int cap) {
    return new InferenceParameters(prompt)
        .setTemperature(0f)
        .setNPredict(cap)
        .setSeed(0)
        .setCachePrompt(true);
  }

  @Override
  public LlmResponse complete(LlmRequest r) {
    long start = System.nanoTime();
    Json.schema(name(), r.jsonSchema());
    String grammar = grammar(r.jsonSchema());
    String prompt = prompt(r);
    int cap = r.maxOutputTokens();
    if (cap < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be positive");
    }
    int promptTokens = fittingPrompt(prompt, cap);
    Duration timeout = timeout(r.timeout());
    InferenceParameters p = greedy(prompt, cap).setGrammar(grammar);
    Generated g = inSlot(p, timeout);
    if (g.generated() >= cap) {
      throw HttpBackend.truncated(name(), g.generated());
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    log.debug(
        "embedded: {} prompt + {} generated tokens in {} ms", promptTokens, g.generated(), ms);
    return new LlmResponse(g.text(), promptTokens, g.generated(), "stop", ms, 1);
  }

  /**
   * A plain continuation of {@code r.prompt()}: greedy, seed 0, llama.cpp's stop strings, and the
   * prompt cache on, so that consecutive continuations sharing a prefix (one file's spans, then
   * each span's own suffix) only evaluate the part after the shared prefix.
   */
  @Override
  public LlmResponse continueText(TextRequest r) {
    long start = System.nanoTime();
    int cap = r.maxOutputTokens();
    int promptTokens = fittingPrompt(r.prompt(), cap);
    Duration timeout = timeout(r.timeout());
    InferenceParameters p = greedy(r.prompt(), cap);
    if (!r.stop().isEmpty()) {
      p.setStopStrings(r.stop().toArray(String[]::new));
    }
    Generated g = inSlot(p, timeout);
    String finish = g.generated() >= cap ? "length" : "stop";
    long ms = (System.nanoTime() - start) / 1_000_000;
    log.debug(
        "embedded: continuation of {} prompt tokens, {} generated ({}) in {} ms",
        promptTokens,
        g.generated(),
        finish,
        ms);
    return new LlmResponse(r.cutAtStop(g.text()), promptTokens, g.generated(), finish, ms, 1);
  }

  private record Generated(String text, int generated) {}

  /** Runs {@code p} in one of the model's slots, waiting for a slot up to {@code timeout}. */
  private Generated inSlot(InferenceParameters p, Duration timeout) {
    try {
      if (!model.slots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new RetryableException(
            "embedded: the model stayed busy for " + timeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("embedded: interrupted while waiting for the model", e);
    }
    try {
      return generate(p, timeout);
    } finally {
      model.slots.release();
    }
  }

  private Generated generate(InferenceParameters p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    StringBuilder text = new StringBuilder();
    int outputs = 0;
    LlamaIterator it;
    try {
      it = model.llama.generate(p).iterator();
      while (it.hasNext()) {
        LlamaOutput o = it.next();
        outputs++;
        text.append(o.text);
        if (System.nanoTime() > deadline && it.hasNext()) {
          it.cancel();
          throw new RetryableException(
              "embedded: no complete answer within "
                  + timeout.toSeconds()
                  + " s ("
                  + outputs
                  + " tokens generated)");
        }
        if (Thread.currentThread().isInterrupted() && it.hasNext()) {
          it.cancel();
          throw new RetryableException("embedded: interrupted while generating");
        }
      }
    } catch (RuntimeException e) {
      if (e instanceof RetryableException || e instanceof PermanentException) {
        throw e;
      }
      throw new PermanentException("embedded: llama.cpp failed: " + e.getMessage(), e);
    }
    // llama.cpp streams one output per sampled token, then a final one that closes the stream
    return new Generated(text.toString(), Math.max(0, outputs - 1));
  }

  private String grammar(String jsonSchema) {
    return GRAMMARS.computeIfAbsent(
        jsonSchema,
        s -> {
          try {
            EmbeddedModel.loadNative();
            return LlamaModel.jsonSchemaToGrammar(s);
          } catch (RuntimeException e) {
            throw new PermanentException(
                "embedded: cannot turn the JSON schema into a grammar: " + e.getMessage(), e);
          }
        });
  }

  /** Releases nothing: the model is shared by the process and lives until it exits. */
  @Override
  public void close() {}
}
