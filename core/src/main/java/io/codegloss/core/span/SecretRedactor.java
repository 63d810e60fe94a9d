package io.codegloss.core.span;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts secrets out of code before it goes into a prompt: a key committed in a function body must
 * not reach a model server (the indexer already keeps secret files out of the index; this is for
 * the secrets inside ordinary source files). Recognised: private-key blocks, AWS access key ids,
 * GitHub, OpenAI, Anthropic, Slack, Stripe and Google API keys, JSON web tokens, and quoted values
 * assigned to names such as password, secret, token or api_key. Each becomes {@code
 * <redacted:KIND>}; line breaks are kept so that line numbers stay right.
 *
 * <p>Limits: patterns, not entropy — an unusual key format, a secret split across strings, or one
 * assigned to an innocuous name passes through.
 */
public final class SecretRedactor {

  /** The redacted text and how many secrets were cut out of it. */
  public record Redacted(String text, int count) {}

  private record Rule(String kind, Pattern pattern, int keepGroup) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "private-key",
              Pattern.compile(
                  "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----"),
              0),
          new Rule("aws-key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), 0),
          new Rule(
              "github-token",
              Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
              0),
          new Rule("anthropic-key", Pattern.compile("\\bsk-ant-[A-Za-z0-9_-]{20,}"), 0),
          new Rule("openai-key", Pattern.compile("\\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}"), 0),
          new Rule("slack-token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0),
          new Rule("stripe-key", Pattern.compile("\\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}"), 0),
          new Rule("google-key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"), 0),
          new Rule(
              "jwt",
              Pattern.compile(
                  "\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"),
              0),
          new Rule(
              "password",
              Pattern.compile(
                  "(?i)((?:password|passwd|pwd|secret|api_?key|access_?key|auth_?token|token)"
                      + "[\"']?\\s*[:=]\\s*)([\"'])(?!<redacted:)([^\"'\\s]{6,})\\2"),
              1));

  private SecretRedactor() {}

  public static Redacted redact(String code) {
    String text = code;
    int count = 0;
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(text);
      if (!m.find()) {
        continue;
      }
      StringBuilder out = new StringBuilder(text.length());
      do {
        count++;
        String kept = rule.keepGroup() > 0 ? m.group(rule.keepGroup()) + m.group(2) : "";
        String closing = rule.keepGroup() > 0 ? m.group(2) : "";
        String newlines = m.group().replaceAll("[^\\n]", "");
        m.appendReplacement(
            out,
            Matcher.quoteReplacement(kept + "<redacted:" + rule.kind() + ">" + closing + newlines));
      } while (m.find());
      m.appendTail(out);
      text = out.toString();
    }
    return new Redacted(text, count);
  }
}
