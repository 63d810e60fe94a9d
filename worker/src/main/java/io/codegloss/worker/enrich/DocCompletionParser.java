package io.codegloss.worker.enrich;

import io.codegloss.core.span.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the continuation of a {@link DocCompletionPrompt} into a summary, or refuses it with a
 * reason. Never stores raw text: comment markers are stripped, only the doc comment's first
 * paragraph is read, the first sentence is kept (and the second when the first is shorter than
 * {@link #SHORT_SENTENCE_WORDS} words), at most {@link #MAX_WORDS} words.
 *
 * <p>A continuation cut at the output cap (finish reason {@code length}) is accepted when it holds
 * a complete sentence (the rest is dropped); without one it is refused as {@link Reason#TRUNCATED}.
 * A continuation that ended on a stop string or the end of text needs no final period (many
 * docstrings have none).
 */
public final class DocCompletionParser {

  public static final int MAX_WORDS = 120;
  static final int SHORT_SENTENCE_WORDS = 6;

  /** A run of this many words found in the prompt is a copy, not a description. */
  static final int COPY_WINDOW = 7;

  /** What a continuation became. */
  public sealed interface Outcome permits Summary, SameAsDocstring, Refused {}

  /** A summary in the model's words, ready to store as model prose. */
  public record Summary(String text) implements Outcome {}

  /**
   * The model wrote the span's own docstring (it was hidden from the prompt, so the model knew it):
   * store it as source=docstring, not as model prose.
   */
  public record SameAsDocstring(String docstring) implements Outcome {}

  /** Nothing usable; {@code detail} is one line for the failure record. */
  public record Refused(Reason reason, String detail) implements Outcome {}

  public enum Reason {
    /** No words at all. */
    EMPTY,
    /** Cut at the output cap before a sentence ended. */
    TRUNCATED,
    /** Code rather than prose. */
    CODE,
    /** Only the span's name or signature again. */
    ECHO,
    /** The same words over and over. */
    REPETITION,
    /** A run of words copied from the prompt (another span's code or comments). */
    COPIED
  }

  private DocCompletionParser() {}

  /**
   * @param continuation the model's text after the prompt (stop strings already cut)
   * @param truncated true when the continuation reached the output cap (finish reason length)
   * @param span the continuation's span prompt: lead, language, hidden docstring
   * @param prompt the full prompt the model continued
   */
  public static Outcome parse(
      String continuation, boolean truncated, DocCompletionPrompt.SpanPrompt span, String prompt) {
    Span s = span.span();
    DocCompletionPrompt.Syntax syntax = DocCompletionPrompt.Syntax.of(s.language());
    String para = firstParagraph(continuation, syntax);
    String body = para.strip();
    if (!hasLetters(body)) {
      return new Refused(Reason.EMPTY, "the continuation has no words");
    }
    String text = span.lead().isEmpty() ? capitalized(body) : span.lead() + " " + body;
    Sentences sentences = sentences(text);
    if (truncated && sentences.complete() == 0) {
      return new Refused(
          Reason.TRUNCATED, "cut at the output cap before a sentence ended: " + clip(text));
    }
    String summary = sentences.keep(truncated);
    summary = capWords(summary, MAX_WORDS);
    if (looksLikeCode(body)) {
      return new Refused(Reason.CODE, "code, not prose: " + clip(summary));
    }
    if (repeats(summary)) {
      return new Refused(Reason.REPETITION, "repeats itself: " + clip(summary));
    }
    if (isEcho(body, s)) {
      return new Refused(Reason.ECHO, "only the name or signature again: " + clip(summary));
    }
    String docstring = span.docstring();
    if (docstring != null && sameText(summary, docstring)) {
      return new SameAsDocstring(docstring.strip());
    }
    String copied = copiedRun(summary, prompt, span.lead());
    if (copied == null && words(body).length >= 2 && containsWords(prompt, body)) {
      copied = body; // a short text found whole in the prompt, e.g. its facts line
    }
    if (copied != null) {
      return new Refused(Reason.COPIED, "copies the prompt: \"" + clip(copied) + "\"");
    }
    return new Summary(withPeriod(summary));
  }

  // ---------------------------------------------------------------- cleaning

  /** The comment's first paragraph, markers stripped, lines joined with single spaces. */
  static String firstParagraph(String continuation, DocCompletionPrompt.Syntax syntax) {
    String[] lines = continuation.replace("\r\n", "\n").split("\n", -1);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (i > 0) {
        String marker =
            switch (syntax) {
              case PYTHON -> "";
              case BLOCK -> "*";
              case GO -> "//";
              case RUST, CSHARP -> "///";
              case RUBY -> "#";
            };
        if (!marker.isEmpty()) {
          if (!l.startsWith(marker) || l.startsWith("*/")) {
            break; // the comment ended; what follows is code
          }
          l = l.substring(marker.length()).strip();
        }
      }
      l = l.replace("</summary>", "").replace("<summary>", "");
      int close = indexOfAny(l, "\"\"\"", "'''", "*/");
      if (close >= 0) {
        kept.add(l.substring(0, close));
        break;
      }
      if (l.isBlank()) {
        if (kept.isEmpty()) {
          continue;
        }
        break;
      }
      if (l.startsWith("@") || l.startsWith(":param") || l.startsWith(">>>")) {
        break; // tags and examples follow the summary
      }
      kept.add(l);
    }
    return String.join(" ", kept).replaceAll("\\s+", " ").strip();
  }

  private static int indexOfAny(String s, String... needles) {
    int best = -1;
    for (String n : needles) {
      int i = s.indexOf(n);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }

  /** Summaries start with a capital letter ("returns x" after a "name() -" opener). */
  static String capitalized(String s) {
    String t = s.replaceFirst("^[-:\\s]+", "");
    return t.isEmpty() ? t : Character.toUpperCase(t.charAt(0)) + t.substring(1);
  }

  private static boolean hasLetters(String s) {
    return s.codePoints().anyMatch(Character::isLetter);
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  // ---------------------------------------------------------------- sentences

  /** Sentence ends: . ! ? followed by a space or the end, not after e.g./i.e./etc. or a digit. */
  private static final Pattern END = Pattern.compile("[.!?](?=\\s|$)");

  private static final Set<String> ABBREVIATIONS =
      Set.of("e.g", "i.e", "etc", "vs", "cf", "approx", "resp", "mr", "dr");

  record Sentences(List<String> parts, String rest) {
    int complete() {
      return parts.size();
    }

    /** One sentence, two when the first is short; an unfinished tail only when not truncated. */
    String keep(boolean truncated) {
      if (parts.isEmpty()) {
        return rest.strip();
      }
      String first = parts.get(0);
      if (words(first).length < SHORT_SENTENCE_WORDS) {
        if (parts.size() > 1) {
          return first + " " + parts.get(1);
        }
        if (!truncated && !rest.isBlank()) {
          return first + " " + rest.strip();
        }
      }
      return first;
    }
  }

  static Sentences sentences(String text) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    Matcher m = END.matcher(text);
    while (m.find()) {
      String before = text.substring(start, m.start());
      String lastWord = before.replaceAll("^.*[\\s(]", "").toLowerCase(Locale.ROOT);
      if (ABBREVIATIONS.contains(lastWord)) {
        continue;
      }
      parts.add(text.substring(start, m.end()).strip());
      start = m.end();
    }
    return new Sentences(parts, text.substring(start));
  }

  static String capWords(String s, int max) {
    String[] w = s.split("\\s+");
    return w.length <= max ? s : String.join(" ", Arrays.copyOf(w, max));
  }

  static String[] words(String s) {
    String t = s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    return t.isEmpty() ? new String[0] : t.split(" ");
  }

  // ---------------------------------------------------------------- refusals

  private static final Pattern CODE_START =
      Pattern.compile(
          "^(def|class|import|from|return|if|for|while|var|let|const|func|fn|pub|public|private"
              + "|static|void|int|raise|throw|yield|self|this)\\b[^a-z]*[\\w.]*\\s*[(=:{\\[;]");

  private static final Pattern CALL = Pattern.compile("^[\\w.]+\\(.*\\)[.;:]?$");

  static boolean looksLikeCode(String s) {
    String t = s.strip();
    if (CODE_START.matcher(t).find() || CALL.matcher(t).matches()) {
      return true;
    }
    int symbols = 0;
    for (char c : t.toCharArray()) {
      if ("(){}[];=<>|&".indexOf(c) >= 0) {
        symbols++;
      }
    }
    int letters = (int) t.chars().filter(Character::isLetter).count();
    return symbols >= 4 && symbols * 6 > letters
        || t.contains("self.") && t.contains("=")
        || t.matches(".*\\)\\s*(:|\\{|->).*");
  }

  /** Only the name's words, possibly with "function"/"method", or the signature again. */
  static boolean isEcho(String s, Span span) {
    Set<String> filler = Set.of("the", "a", "an", "function", "method", "class", "def", "self");
    Set<String> nameWords = new HashSet<>(Arrays.asList(words(splitName(span.name()))));
    nameWords.addAll(Arrays.asList(words(span.name())));
    String[] w = words(s);
    boolean onlyName = w.length > 0;
    for (String x : w) {
      if (!nameWords.contains(x) && !filler.contains(x)) {
        onlyName = false;
        break;
      }
    }
    if (onlyName) {
      return true;
    }
    String sig = span.signature();
    return sig != null && sameText(s, sig);
  }

  /** snake_case and camelCase split into words. */
  static String splitName(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
        .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
        .replace('_', ' ');
  }

  static boolean repeats(String s) {
    String[] w = words(s);
    for (int i = 3; i < w.length; i++) {
      if (w[i].equals(w[i - 1]) && w[i].equals(w[i - 2]) && w[i].equals(w[i - 3])) {
        return true;
      }
    }
    Map<String, Integer> trigrams = new HashMap<>();
    for (int i = 0; i + 3 <= w.length; i++) {
      String g = w[i] + " " + w[i + 1] + " " + w[i + 2];
      if (trigrams.merge(g, 1, Integer::sum) >= 3) {
        return true;
      }
    }
    return w.length >= 12 && new HashSet<>(Arrays.asList(w)).size() * 5 < w.length * 2;
  }

  static boolean sameText(String a, String b) {
    String x = String.join(" ", words(a));
    String y = String.join(" ", words(b));
    if (x.isEmpty() || y.isEmpty()) {
      return false;
    }
    if (x.equals(y)) {
      return true;
    }
    // the summary is the docstring's first sentence(s)
    String firstOfB = String.join(" ", words(sentences(b).keep(false)));
    return x.equals(firstOfB) || (y.startsWith(x) && words(a).length >= SHORT_SENTENCE_WORDS);
  }

  private static boolean containsWords(String prompt, String text) {
    String hay = " " + String.join(" ", words(prompt)) + " ";
    return hay.contains(" " + String.join(" ", words(text)) + " ");
  }

  /** A summary ends with a sentence mark: stop strings such as ".\n" cut the model's own period. */
  static String withPeriod(String s) {
    String t = s.strip();
    if (t.isEmpty() || ".!?".indexOf(t.charAt(t.length() - 1)) >= 0) {
      return t;
    }
    return t.replaceFirst("[,;:]+$", "") + ".";
  }

  /** A run of {@link #COPY_WINDOW} words of the summary found in the prompt, or null. */
  static @Nullable String copiedRun(String summary, String prompt, String lead) {
    String[] w = words(summary);
    if (w.length < COPY_WINDOW) {
      return null;
    }
    String hay = " " + String.join(" ", words(prompt)) + " ";
    String leadText = String.join(" ", words(lead));
    for (int i = 0; i + COPY_WINDOW <= w.length; i++) {
      String run = String.join(" ", Arrays.copyOfRange(w, i, i + COPY_WINDOW));
      if (!leadText.isEmpty() && i == 0 && run.startsWith(leadText + " ")) {
        // the lead is in the prompt by construction; judge the words after it
        continue;
      }
      if (hay.contains(" " + run + " ")) {
        return run;
      }
    }
    return null;
  }
}
