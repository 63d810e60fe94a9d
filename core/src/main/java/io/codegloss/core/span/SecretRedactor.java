package io.codegloss.core.span;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts secrets out of code before it goes into a prompt: a key committed in a function body must
 * not reach a model server (the indexer already keeps secret files out of the index; this is for
 * the secrets inside ordinary source files). Recognised: private-key blocks (PEM, OpenSSH, PGP),
 * AWS access key ids and secret access keys assigned to their usual names, GitHub (classic and
 * fine-grained), GitLab, OpenAI, Anthropic, Slack (tokens and webhooks), Stripe and Google API
 * keys, JSON web tokens, passwords in URLs ({@code scheme://user:PASSWORD@host}), and quoted values
 * assigned to names such as password, secret, token or api_key. Each becomes {@code
 * <redacted:KIND>}; line breaks are kept so that line numbers stay right.
 *
 * <p>False positives cost note quality, so the assignment rules are narrow: a value assigned to a
 * token- or secret-like name must look like a credential (not a plain word such as {@code "NUMBER"}
 * or {@code "string_literal"}, not a template such as {@code "${TOKEN}"} or {@code "{token}"}).
 *
 * <p>Limits: patterns, not entropy — an unusual key format, a secret split across strings or built
 * at run time, one assigned to an innocuous name, an unquoted value in code, or a password that is
 * a plain word assigned to a token-like name passes through.
 */
public final class SecretRedactor {

  /** The redacted text and how many secrets were cut out of it. */
  public record Redacted(String text, int count) {}

  /**
   * @param keepGroup 0: the whole match is the secret; otherwise group 1 (a prefix such as the name
   *     and its opening quote) and the last group (the closing quote) stay, and the group before
   *     the last is the secret
   * @param starts literals with which every match begins (lower-case when {@code anyCase}; ASCII
   *     only, as the patterns' {@code (?i)} is); empty for the URL rule, whose matches begin at the
   *     scheme before a {@code ://}. The pattern is tried only where a match can begin. Searching
   *     every position (of texts holding a word of the rule) cost 75 ns a character over the
   *     standard library's 130 MB of Python, 9.7 s, and 9 % of a worker's CPU at 8 calls at once
   *     (JFR; many spans are whole test classes); trying only the beginnings, 8.7 ns and 1.1 s,
   *     with the same output.
   */
  private record Rule(
      String kind, Pattern pattern, int keepGroup, boolean anyCase, List<String> starts) {

    Rule(String kind, Pattern pattern, int keepGroup, String... starts) {
      this(kind, pattern, keepGroup, false, List.of(starts));
    }
  }

  /**
   * A value that is a placeholder or template, not a secret: {@code ${X}}, {@code {x}}, {@code %s}.
   */
  private static final String NOT_TEMPLATE = "(?![$%{<])";

  /**
   * Where a key may start and end: not inside an ASCII word. Java's {@code \b} counts a combining
   * mark as part of the word before it, so a key right after an accent was missed, and found on a
   * second pass once the secret before the accent had become a marker (the property test's
   * counterexample: {@code xoxb-...}, U+0300, {@code sk-...}). Keys are ASCII; a non-ASCII
   * neighbour never makes one part of a word.
   */
  private static final String START = "(?<![A-Za-z0-9_])";

  private static final String END = "(?![A-Za-z0-9_])";

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "private-key",
              Pattern.compile(
                  "-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?"
                      + "-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"),
              0,
              "-----BEGIN "),
          new Rule(
              "aws-key",
              Pattern.compile(START + "(?:AKIA|ASIA)[0-9A-Z]{16}" + END),
              0,
              "AKIA",
              "ASIA"),
          new Rule(
              "aws-secret",
              Pattern.compile(
                  "(?i)(aws_?secret(?:_?access)?_?key[\"']?\\s*[:=]\\s*[\"']?)"
                      + "([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])()"),
              1,
              true,
              List.of("aws")),
          new Rule(
              "github-token",
              Pattern.compile(
                  START + "(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
              0,
              "ghp_",
              "gho_",
              "ghu_",
              "ghs_",
              "ghr_",
              "github_pat_"),
          new Rule(
              "gitlab-token", Pattern.compile(START + "glpat-[A-Za-z0-9_-]{20,}"), 0, "glpat-"),
          new Rule(
              "anthropic-key", Pattern.compile(START + "sk-ant-[A-Za-z0-9_-]{20,}"), 0, "sk-ant-"),
          new Rule(
              "openai-key",
              Pattern.compile(START + "sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}"),
              0,
              "sk-"),
          new Rule(
              "slack-token", Pattern.compile(START + "xox[abposre]-[A-Za-z0-9-]{10,}"), 0, "xox"),
          new Rule(
              "slack-webhook",
              Pattern.compile(
                  "https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+"),
              0,
              "https://hooks.slack.com/services/"),
          new Rule(
              "stripe-key",
              Pattern.compile(START + "(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}"),
              0,
              "sk_",
              "rk_"),
          new Rule("google-key", Pattern.compile(START + "AIza[0-9A-Za-z_-]{35}"), 0, "AIza"),
          new Rule(
              "jwt",
              Pattern.compile(
                  START + "eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"),
              0,
              "eyJ"),
          new Rule(
              "url-password",
              Pattern.compile(
                  "("
                      + START
                      + "[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@\"'`]+:)"
                      + NOT_TEMPLATE
                      + "([^/\\s@\"'`]+)(@)"),
              1),
          new Rule(
              "password",
              Pattern.compile(
                  "(?i)((?:password|passwd|pwd|passphrase)[\"']?\\s*[:=]\\s*([\"']))"
                      + "(?!<redacted:)"
                      + NOT_TEMPLATE
                      + "([^\"'\\s]{6,})(\\2)"),
              1,
              true,
              List.of("pass", "pwd")),
          new Rule(
              "password",
              Pattern.compile(
                  "(?i)((?:secret|api_?key|access_?key|auth_?token|token|private_?key|credentials?)"
                      + "[\"']?\\s*[:=]\\s*([\"']))"
                      + "(?!<redacted:)"
                      + NOT_TEMPLATE
                      // a credential, not a word: plain lower_case or UPPER_CASE words are names
                      + "(?-i:(?![a-z_.-]+\\2|[A-Z_.-]+\\2))"
                      + "([^\"'\\s]{8,})(\\2)"),
              1,
              true,
              List.of("secret", "api", "access", "auth", "token", "private", "credential")));

  private SecretRedactor() {}

  public static Redacted redact(String code) {
    return redact(code, false);
  }

  /**
   * @param everywhere search every position with {@link Matcher#find()}, as the patterns alone
   *     define it: the tests' oracle for the fast path, which tries them only where a match can
   *     begin
   */
  static Redacted redact(String code, boolean everywhere) {
    String text = code;
    // the case-insensitive rules share one lower-case copy until a rule changes the text
    String lowerCase = null;
    int count = 0;
    for (Rule rule : RULES) {
      // transparent: a match's look-behind (START) sees the text before the position tried
      Matcher m = rule.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      StringBuilder out = null;
      int copied = 0;
      if (rule.anyCase() && lowerCase == null && !everywhere) {
        lowerCase = asciiLowerCase(text);
      }
      Starts starts = everywhere ? null : new Starts(rule, rule.anyCase() ? lowerCase : text);
      for (int from = 0; from <= text.length(); ) {
        if (starts == null) {
          if (!m.find(from)) {
            break;
          }
        } else {
          int at = starts.next(from);
          if (at < 0) {
            break;
          }
          m.region(at, text.length());
          if (!m.lookingAt()) {
            from = at + 1;
            continue;
          }
        }
        count++;
        String secret = rule.keepGroup() > 0 ? m.group(secretGroup(m)) : m.group();
        String kept = rule.keepGroup() > 0 ? m.group(1) : "";
        String closing = rule.keepGroup() > 0 ? m.group(m.groupCount()) : "";
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, copied, m.start())
            .append(kept)
            .append("<redacted:")
            .append(rule.kind())
            .append('>')
            .append(closing)
            .append(secret.replaceAll("[^\\n]", ""));
        copied = m.end();
        from = m.end();
      }
      if (out != null) {
        text = out.append(text, copied, text.length()).toString();
        lowerCase = null;
      }
    }
    return new Redacted(text, count);
  }

  /**
   * The positions where one rule's match can begin, in order: its literals' occurrences, or for the
   * URL rule every position of the scheme-like run before each {@code ://}. Each literal's next
   * occurrence is remembered, so a text is searched once per literal, not once per candidate.
   */
  private static final class Starts {
    private final Rule rule;
    private final String haystack;
    private final int[] next;
    private int runStart = -1;
    private int runEnd = -1;

    /**
     * @param haystack the text, lower-cased ({@link #asciiLowerCase}) when the rule ignores case
     */
    Starts(Rule rule, String haystack) {
      this.rule = rule;
      this.haystack = haystack;
      this.next = new int[Math.max(1, rule.starts().size())];
      java.util.Arrays.fill(next, -2);
    }

    /** The first position at or after {@code from} where a match may begin, or -1. */
    int next(int from) {
      if (rule.starts().isEmpty()) {
        return nextInScheme(from);
      }
      int best = -1;
      for (int i = 0; i < next.length; i++) {
        if (next[i] != -1 && next[i] < from) {
          next[i] = haystack.indexOf(rule.starts().get(i), from);
        }
        if (next[i] >= 0 && (best < 0 || next[i] < best)) {
          best = next[i];
        }
      }
      return best;
    }

    /** Schemes are runs of [a-zA-Z0-9+.-] right before a "://"; the pattern picks the start. */
    private int nextInScheme(int from) {
      while (true) {
        if (from < runEnd) {
          return Math.max(from, runStart);
        }
        int sep = haystack.indexOf("://", Math.max(from, runEnd + 1));
        if (sep < 0) {
          return -1;
        }
        int start = sep;
        while (start > 0 && isSchemeChar(haystack.charAt(start - 1))) {
          start--;
        }
        runStart = start;
        runEnd = sep;
      }
    }

    private static boolean isSchemeChar(char c) {
      return c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '.' || c == '-');
    }
  }

  /**
   * Lower-case ASCII letters only, so that positions stay those of the text: {@code (?i)} without
   * UNICODE_CASE matches ASCII letters only, and {@link String#toLowerCase} may change a string's
   * length.
   */
  private static String asciiLowerCase(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 'A' && c <= 'Z') {
        chars[i] = (char) (c + 32);
      }
    }
    return new String(chars);
  }

  /**
   * How many secrets were cut out of a prompt built from redacted text: its {@code <redacted:KIND>}
   * markers. Code that itself contains such a marker (a test of this class, say) counts too.
   */
  public static int markersIn(String prompt) {
    int n = 0;
    for (int i = prompt.indexOf(MARKER); i >= 0; i = prompt.indexOf(MARKER, i + MARKER.length())) {
      n++;
    }
    return n;
  }

  private static final String MARKER = "<redacted:";

  /** The secret is the last group but the closing one (the assignment rules nest the quote). */
  private static int secretGroup(Matcher m) {
    return m.groupCount() - 1;
  }
}
