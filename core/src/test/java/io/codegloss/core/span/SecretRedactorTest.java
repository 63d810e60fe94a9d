package io.codegloss.core.span;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretRedactorTest {

  @Test
  void anApiKeyInAFunctionBodyNeverReachesThePrompt() {
    String code =
        "def client():\n"
            + "    key = \"sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\"\n"
            + "    return OpenAI(api_key=key)\n";
    SecretRedactor.Redacted r = SecretRedactor.redact(code);
    assertThat(r.text()).doesNotContain("AbCdEfGhIj").contains("<redacted:openai-key>");
    assertThat(r.count()).isEqualTo(1);
    assertThat(r.text().lines().count()).isEqualTo(code.lines().count());
  }

  @Test
  void providerKeysTokensAndJwtsAreEachRecognised() {
    String code =
        "aws = 'AKIAIOSFODNN7EXAMPLE'\n"
            + "gh = 'ghp_0123456789abcdefghijABCDEFGHIJ012345'\n"
            + "slack = 'xoxb-123456789012-abcdefghij'\n"
            + "jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'\n";
    SecretRedactor.Redacted r = SecretRedactor.redact(code);
    assertThat(r.text())
        .contains("<redacted:aws-key>")
        .contains("<redacted:github-token>")
        .contains("<redacted:slack-token>")
        .contains("<redacted:jwt>")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");
    assertThat(r.count()).isEqualTo(4);
  }

  @Test
  void aPasswordAssignmentKeepsItsNameAndLosesItsValue() {
    SecretRedactor.Redacted r = SecretRedactor.redact("DB_PASSWORD = \"hunter2hunter2\"\n");
    assertThat(r.text()).isEqualTo("DB_PASSWORD = \"<redacted:password>\"\n");
  }

  @Test
  void aKeyAssignedToAKeyNameIsRedactedOnceAndNamedForWhatItIs() {
    SecretRedactor.Redacted r =
        SecretRedactor.redact("OpenAI(api_key=\"sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123\")");
    assertThat(r.text()).isEqualTo("OpenAI(api_key=\"<redacted:openai-key>\")");
    assertThat(r.count()).isEqualTo(1);
  }

  @Test
  void aPrivateKeyBlockGoesButItsLinesStay() {
    String code =
        "PEM = \"\"\"-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----\"\"\"\n";
    SecretRedactor.Redacted r = SecretRedactor.redact(code);
    assertThat(r.text()).doesNotContain("MIIEow").contains("<redacted:private-key>");
    assertThat(r.text().lines().count()).isEqualTo(code.lines().count());
  }

  @Test
  void ordinaryCodeIsLeftAlone() {
    String code = "def skip(token_count: int) -> int:\n    password_field = form.password\n";
    SecretRedactor.Redacted r = SecretRedactor.redact(code);
    assertThat(r.text()).isEqualTo(code);
    assertThat(r.count()).isZero();
  }
}
