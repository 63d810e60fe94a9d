package io.codegloss.core.span;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random text built from pieces of secrets, assignments, URLs and noise: redaction never throws,
 * keeps every line break, leaves nothing for a second pass (markers are never redacted again), the
 * count equals the markers it wrote, which is what each LLM call records, and trying the patterns
 * only where a match can begin finds exactly what searching every position finds.
 */
class SecretRedactorPropertiesTest {

  @Property(tries = 500)
  void redactionKeepsLinesIsIdempotentAndCountsItsMarkers(@ForAll("texts") String text) {
    SecretRedactor.Redacted once = SecretRedactor.redact(text);
    SecretRedactor.Redacted twice = SecretRedactor.redact(once.text());

    assertThat(once.text().chars().filter(c -> c == '\n').count())
        .isEqualTo(text.chars().filter(c -> c == '\n').count());
    assertThat(twice.text()).isEqualTo(once.text());
    assertThat(twice.count()).isZero();
    if (!text.contains("<redacted:")) {
      // (a marker already in the code may be swallowed by a redacted key block around it)
      assertThat(SecretRedactor.markersIn(once.text())).isEqualTo(once.count());
    }
  }

  @Property(tries = 1000)
  void tryingOnlyWhereAMatchCanBeginFindsWhatAFullSearchFinds(@ForAll("texts") String text) {
    assertThat(SecretRedactor.redact(text)).isEqualTo(SecretRedactor.redact(text, true));
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.of(
                "password",
                "token",
                "api_key",
                "aws_secret_access_key",
                " = ",
                ": ",
                "=",
                "\"",
                "'",
                "\n",
                " ",
                "sk-",
                "sk-proj-",
                "sk-ant-",
                "ghp_",
                "github_pat_",
                "glpat-",
                "xoxb-",
                "AKIA",
                "AIza",
                "sk_live_",
                "eyJ",
                ".",
                "https://",
                "postgres://",
                "user:",
                "@host",
                "/",
                "${",
                "}",
                "-----BEGIN RSA PRIVATE KEY-----",
                "-----END RSA PRIVATE KEY-----",
                "<redacted:",
                ">",
                // every rule's beginnings, in both cases where the rule ignores case
                "PASSWORD",
                "passwd",
                "Pwd",
                "passphrase",
                "SECRET",
                "Api_Key",
                "access_key",
                "AUTH_TOKEN",
                "Token",
                "private_key",
                "credentials",
                "AWS_SECRET_ACCESS_KEY",
                "ASIA",
                "gho_",
                "xoxp-",
                "rk_test_",
                "sk_test_",
                "https://hooks.slack.com/services/T1/B2/",
                "git+ssh://",
                "x.y-z+",
                "_",
                "-",
                // lower-casing these changes a string's length or meets a Unicode case rule
                "\u0130",
                "\u212a",
                "\u0300"),
            Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(45),
            Arbitraries.strings().ofMaxLength(5));
    return pieces.list().ofMaxSize(40).map(l -> String.join("", (List<String>) l));
  }
}
