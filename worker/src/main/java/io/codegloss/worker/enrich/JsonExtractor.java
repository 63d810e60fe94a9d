package io.codegloss.worker.enrich;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds the JSON answer in a completion, defensively: code fences, prose before and after, a
 * reasoning block, nested braces and braces inside strings, raw newlines inside strings, trailing
 * commas, comments, single quotes. It never uses a flat regex: it tries each {@code '{'} or {@code
 * '['} in order with a real JSON parser and takes the first complete value that is an object (or
 * an array of objects, which it wraps).
 *
 * <p>A value that is still open when the text ends is truncated output: the extraction fails as a
 * whole instead of returning an inner object of the truncated value (which would be partial
 * garbage, e.g. the first item of a half-written batch).
 */
public final class JsonExtractor {

  /** What {@link #extractObject} found. */
  public sealed interface Extraction {}

  /**
   * @param object the answer as an object
   * @param note what had to be done to get it (for logs), or null when the text was clean JSON
   */
  public record Found(ObjectNode object, @Nullable String note) implements Extraction {}

  /** No usable JSON; {@code reason} is one line. */
  public record Failed(String reason, boolean truncated) implements Extraction {}

  private static final ObjectMapper LENIENT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                  .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                  .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                  .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                  .build())
          .build();

  private JsonExtractor() {}

  /**
   * @param text the completion text
   * @param arrayKey when the first acceptable value is a top-level array of objects: with a key it
   *     is wrapped as {@code {arrayKey: [...]}} (a batch answer); with null an array of exactly one
   *     object is unwrapped to that object (a single answer) and a longer one fails
   */
  public static Extraction extractObject(String text, @Nullable String arrayKey) {
    return extractObject(text, arrayKey, Set.of());
  }

  /**
   * Like {@link #extractObject(String, String)}, but prefers the first object that has one of
   * {@code answerKeys} at its top level: a model that echoes code such as {@code return {"a": 1}}
   * before its answer must not have that snippet taken as the answer. Without such an object the
   * first acceptable one is returned.
   */
  public static Extraction extractObject(
      String text, @Nullable String arrayKey, Set<String> answerKeys) {
    if (text == null || text.isBlank()) {
      return new Failed("empty completion", false);
    }
    String t = afterReasoning(text);
    String note = t.length() != text.length() ? "skipped a reasoning block" : null;
    Extraction fallback = null;
    for (int depth = 0; depth < 2; depth++) {
      int from = 0;
      while (true) {
        int p = nextStart(t, from);
        if (p < 0) {
          break;
        }
        Attempt a = parseAt(t, p);
        if (a.truncated()) {
          return new Failed(
              "truncated JSON: the value starting at character " + p + " never closes", true);
        }
        if (a.value() == null) {
          from = p + 1;
          continue;
        }
        from = a.end(); // never look inside a value already read
        Extraction x = accept(a.value(), arrayKey, note, p == 0 && t.substring(a.end()).isBlank());
        if (x == null) {
          continue; // prose such as "see [1]" parses as an array
        }
        if (answerKeys.isEmpty() || isAnswer(a.value(), answerKeys)) {
          return x;
        }
        if (fallback == null) {
          fallback = x;
        }
      }
      if (fallback != null) {
        return fallback;
      }
      // A completion that is one JSON string holding the real JSON (double-encoded).
      JsonNode whole = tryWhole(t);
      if (whole != null && whole.isTextual()) {
        t = whole.asText();
        note = join(note, "decoded a JSON string");
        continue;
      }
      break;
    }
    return new Failed("no JSON object in the completion", false);
  }

  private static @Nullable Extraction accept(
      JsonNode v, @Nullable String arrayKey, @Nullable String note, boolean clean) {
    String where = join(note, clean ? null : "took JSON out of prose");
    if (v.isObject()) {
      return new Found((ObjectNode) v, where);
    }
    if (!isArrayOfObjects(v)) {
      return null;
    }
    if (arrayKey != null) {
      ObjectNode wrapped = LENIENT.createObjectNode();
      wrapped.set(arrayKey, v);
      return new Found(wrapped, join(where, "wrapped a top-level array"));
    }
    if (v.size() == 1) {
      return new Found((ObjectNode) v.get(0), join(where, "unwrapped an array"));
    }
    return new Failed("expected one object, got an array of " + v.size() + " objects", false);
  }

  private static boolean isAnswer(JsonNode v, Set<String> keys) {
    JsonNode o = v.isArray() ? v.get(0) : v;
    for (String k : keys) {
      if (o.has(k)) {
        return true;
      }
    }
    return false;
  }

  private record Attempt(@Nullable JsonNode value, int end, boolean truncated) {}

  private static Attempt parseAt(String t, int p) {
    String rest = t.substring(p);
    try (JsonParser parser = LENIENT.getFactory().createParser(rest)) {
      JsonNode v = LENIENT.readTree(parser);
      int end = p + (int) parser.currentLocation().getCharOffset();
      return new Attempt(v, Math.min(end, t.length()), false);
    } catch (JsonEOFException e) {
      return new Attempt(null, t.length(), true);
    } catch (JsonProcessingException e) {
      // Jackson reports some ends of input as plain parse errors ("Unexpected end-of-input
      // within/between Array entries"): an error at the very end of the text is a truncation.
      boolean atEnd = e.getLocation() != null && endsInPartialToken(rest, e.getLocation());
      boolean eofMessage =
          e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input");
      return atEnd || eofMessage
          ? new Attempt(null, t.length(), true)
          : new Attempt(null, p + 1, false);
    } catch (IOException e) {
      return new Attempt(null, p + 1, false);
    }
  }

  /**
   * True when the error lies at the end of the text, or at the start of a last token that is only a
   * prefix of a literal or a number ({@code n}, {@code tru}, {@code 1.}), as a cut leaves it.
   */
  private static boolean endsInPartialToken(String rest, JsonLocation where) {
    long offset = where.getCharOffset();
    String stripped = rest.stripTrailing();
    if (offset < 0) {
      return false;
    }
    if (offset >= stripped.length()) {
      return true;
    }
    String tail = stripped.substring((int) offset).strip();
    if (tail.isEmpty()) {
      return true;
    }
    if ("null".startsWith(tail) || "true".startsWith(tail) || "false".startsWith(tail)) {
      return true;
    }
    for (int i = 0; i < tail.length(); i++) {
      if ("+-0123456789.eE".indexOf(tail.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable JsonNode tryWhole(String t) {
    try {
      return LENIENT.readTree(t.strip());
    } catch (IOException e) {
      return null;
    }
  }

  private static int nextStart(String t, int from) {
    for (int i = from; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '{' || c == '[') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isArrayOfObjects(JsonNode v) {
    if (!v.isArray() || v.isEmpty()) {
      return false;
    }
    for (JsonNode e : v) {
      if (!e.isObject()) {
        return false;
      }
    }
    return true;
  }

  /** Drops a {@code <think>...</think>} block that reasoning models put before the answer. */
  private static String afterReasoning(String text) {
    int close = text.lastIndexOf("</think>");
    return close < 0 ? text : text.substring(close + "</think>".length());
  }

  private static @Nullable String join(@Nullable String a, @Nullable String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + "; " + b;
  }
}
