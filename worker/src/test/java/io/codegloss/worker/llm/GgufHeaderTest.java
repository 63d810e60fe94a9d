package io.codegloss.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.config.Settings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufHeaderTest {

  @TempDir Path dir;

  /** A little-endian GGUF header written the way llama.cpp writes one. */
  static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Writer u32(int v) {
      return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    Writer u64(long v) {
      return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    Writer str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return u64(b.length).raw(b);
    }

    Writer header(int kvCount) {
      return raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(3).u64(2).u64(kvCount);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  static byte[] model(boolean withTemplate) {
    Writer w = new Writer().header(withTemplate ? 5 : 4);
    w.str("general.architecture").u32(8).str("gemma3");
    w.str("gemma3.context_length").u32(4).u32(32768);
    w.str("tokenizer.ggml.tokens").u32(9).u32(8).u64(3).str("<pad>").str("<eos>").str("a");
    w.str("tokenizer.ggml.add_bos_token").u32(7).raw(new byte[] {1});
    if (withTemplate) {
      w.str("tokenizer.chat_template").u32(8).str("{% for m in messages %}{{ m }}{% endfor %}");
    }
    // tensor infos follow; the reader must not need them
    w.raw(new byte[] {(byte) 0xde, (byte) 0xad});
    return w.bytes();
  }

  @Test
  void readsStringsAndScalarsAndSkipsArrays() throws IOException {
    Map<String, Object> kv = GgufHeader.read(new ByteArrayInputStream(model(false)));

    assertThat(kv)
        .containsEntry("general.architecture", "gemma3")
        .containsEntry("gemma3.context_length", 32768L)
        .containsEntry("tokenizer.ggml.add_bos_token", true)
        .doesNotContainKey("tokenizer.ggml.tokens");
  }

  @Test
  void findsTheChatTemplateOfAnInstructionTunedModel() throws IOException {
    Path withTemplate = Files.write(dir.resolve("it.gguf"), model(true));
    Path base = Files.write(dir.resolve("pt.gguf"), model(false));

    assertThat(GgufHeader.hasChatTemplate(withTemplate)).isTrue();
    assertThat(GgufHeader.hasChatTemplate(base)).isFalse();
  }

  @Test
  void refusesAFileWithoutTheMagic() {
    byte[] notGguf = "PK\3\4 a zip file".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> GgufHeader.read(new ByteArrayInputStream(notGguf)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a GGUF file");
  }

  @Test
  void refusesAnImplausibleStringLengthInsteadOfAllocatingIt() {
    byte[] b = new Writer().header(1).u64(Long.MAX_VALUE / 2).bytes();

    assertThatThrownBy(() -> GgufHeader.read(new ByteArrayInputStream(b)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("implausible GGUF string length");
  }

  @Test
  void aFileCutInsideTheMetadataIsAnError() {
    byte[] full = model(true);
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 30);

    assertThatThrownBy(() -> GgufHeader.read(new ByteArrayInputStream(cut)))
        .isInstanceOf(IOException.class);
  }

  static LlmSettings settings(Map<String, String> m) {
    return LlmSettings.from(Settings.of(m), Path.of("/nonexistent-home"));
  }

  @Test
  void autoAsksAnEmbeddedBaseModelForCompletionsAndAChatModelForChat() throws IOException {
    Path base = Files.write(dir.resolve("pt.gguf"), model(false));
    Path it = Files.write(dir.resolve("it.gguf"), model(true));

    assertThat(PromptShape.resolve(settings(Map.of("CODEGLOSS_MODEL_PATH", base.toString()))))
        .isEqualTo(PromptShape.COMPLETION);
    assertThat(PromptShape.resolve(settings(Map.of("CODEGLOSS_MODEL_PATH", it.toString()))))
        .isEqualTo(PromptShape.CHAT);
  }

  @Test
  void autoAsksHttpBackendsForChatAndTheSettingOverridesAuto() throws IOException {
    Path base = Files.write(dir.resolve("pt.gguf"), model(false));

    assertThat(PromptShape.resolve(settings(Map.of("CODEGLOSS_BACKEND", "ollama"))))
        .isEqualTo(PromptShape.CHAT);
    assertThat(PromptShape.resolve(settings(Map.of("CODEGLOSS_BACKEND", "openai"))))
        .isEqualTo(PromptShape.CHAT);
    assertThat(
            PromptShape.resolve(
                settings(
                    Map.of("CODEGLOSS_BACKEND", "ollama", "CODEGLOSS_PROMPT_SHAPE", "completion"))))
        .isEqualTo(PromptShape.COMPLETION);
    assertThat(
            PromptShape.resolve(
                settings(
                    Map.of(
                        "CODEGLOSS_MODEL_PATH",
                        base.toString(),
                        "CODEGLOSS_PROMPT_SHAPE",
                        "CHAT"))))
        .isEqualTo(PromptShape.CHAT);
  }

  @Test
  void anUnreadableModelFileFallsBackToCompletions() {
    assertThat(PromptShape.resolve(settings(Map.of("CODEGLOSS_MODEL_PATH", "/nonexistent.gguf"))))
        .isEqualTo(PromptShape.COMPLETION);
  }
}
