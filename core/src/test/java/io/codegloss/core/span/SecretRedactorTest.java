package io.codegloss.core.span;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
  void aKeyRightAfterAnAccentIsFoundInTheFirstPass() {
    // U+0300 (a combining grave accent) between two keys: Java's \b counted it as part of the
    // word before it, so the second key survived the first pass (found by the property test)
    String code =
        "x = 'xoxb-AAAAAAAAAAAA\u0300sk-AAAAAAAAAAAAAAAAAAAA'\nz = 'é' + 'sk-BBBBBBBBBBBBBBBBBBBB'";

    SecretRedactor.Redacted once = SecretRedactor.redact(code);

    assertThat(once.text()).doesNotContain("sk-AAAA").doesNotContain("sk-BBBB");
    assertThat(once.count()).isEqualTo(3);
    assertThat(SecretRedactor.redact(once.text()).count()).isZero();
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

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          openai-key     | key = "sk-AbCdEfGhIjKlMnOpQrStUvWxYz012345"                        | AbCdEfGhIjKl
          openai-key     | key = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123_-45"                 | AbCdEfGhIjKl
          anthropic-key  | key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123"               | AbCdEfGhIjKl
          aws-key        | id = "ASIAIOSFODNN7EXAMPLE"                                        | IOSFODNN7
          aws-secret     | aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY   | wJalrXUtnFEMI
          aws-secret     | AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"   | wJalrXUtnFEMI
          github-token   | t = "ghp_0123456789abcdefghijABCDEFGHIJ012345"                     | 0123456789abc
          github-token   | t = "gho_0123456789abcdefghijABCDEFGHIJ012345"                     | 0123456789abc
          github-token   | t = "ghs_0123456789abcdefghijABCDEFGHIJ012345"                     | 0123456789abc
          github-token   | t = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"    | 11ABCDEFG0123
          gitlab-token   | t = "glpat-AbCdEfGhIjKlMnOpQrSt"                                   | AbCdEfGhIjKl
          slack-token    | t = "xoxp-1234567890-abcdefghijk"                                  | 1234567890-abc
          slack-token    | t = "xoxa-2-1234567890-abcdefghijk"                                | 1234567890-abc
          slack-webhook  | u = "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/AbCdEfGhIjKl" | AbCdEfGhIjKl
          stripe-key     | k = "sk_live_0123456789abcdefABCDEF"                               | 0123456789abcdef
          stripe-key     | k = "rk_live_0123456789abcdefABCDEF"                               | 0123456789abcdef
          google-key     | k = "AIzaSyA-0123456789abcdefghijABCDEFGHIJK"                       | 0123456789abc
          url-password   | url = "postgres://app:S3cretPw@db.internal:5432/app"               | S3cretPw
          url-password   | url = "jdbc:postgresql://app:S3cretPw@db.internal/app"             | S3cretPw
          url-password   | requests.get("https://bob:hunter2@example.com/api")                | hunter2
          password       | "password": "correct-horse-battery"                                | correct-horse
          password       | db_passwd = 'hunter2hunter2'                                       | hunter2
          password       | client_secret = "9f8e7d6c5b4a39281706"                             | 9f8e7d6c5b4a
          password       | self.auth_token = "AbC123dEf456GhI789"                             | AbC123dEf456
          password       | PRIVATE_KEY: "MC4CAQAwBQYDK2VwBCIEIA"                              | MC4CAQAwBQYD
          """)
  void eachSecretOfTheListIsCutOutAndNamed(String kind, String code, String secretPart) {
    SecretRedactor.Redacted r = SecretRedactor.redact(code);
    assertThat(r.text()).doesNotContain(secretPart).contains("<redacted:" + kind + ">");
    assertThat(r.count()).isEqualTo(1);
  }

  @Test
  void openSshAndPgpPrivateKeyBlocksAreCutOut() {
    String code =
        "K1 = '''-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n"
            + "-----END OPENSSH PRIVATE KEY-----'''\n"
            + "K2 = '''-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGX\n"
            + "-----END PGP PRIVATE KEY BLOCK-----'''\n";
    SecretRedactor.Redacted r = SecretRedactor.redact(code);
    assertThat(r.text()).doesNotContain("b3BlbnNzaC1rZXk").doesNotContain("lQOYBGX");
    assertThat(r.count()).isEqualTo(2);
    assertThat(r.text().lines().count()).isEqualTo(code.lines().count());
  }

  @Test
  void aUrlKeepsItsSchemeUserAndHostAndLosesOnlyThePassword() {
    assertThat(SecretRedactor.redact("u = 'redis://cache:pa55word@redis:6379/0'").text())
        .isEqualTo("u = 'redis://cache:<redacted:url-password>@redis:6379/0'");
  }

  /** Ordinary code that names tokens, secrets and passwords, or holds URLs: nothing to cut. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "token = \"NUMBER\"",
        "token = 'string_literal'",
        "token = \"IDENTIFIER_START\"",
        "if token == \"function\": return",
        "api_key = os.environ[\"OPENAI_API_KEY\"]",
        "api_key = \"${OPENAI_API_KEY}\"",
        "token = \"{token}\"",
        "secret = f\"{prefix}-{name}\"",
        "password = \"%(password)s\"",
        "password = getpass.getpass(\"Password: \")",
        "password = \"\"",
        "PASSWORD_PROMPT = \"Enter your password\"",
        "url = \"https://example.com:8080/path?q=1\"",
        "url = \"postgres://${DB_USER}:${DB_PASSWORD}@localhost/db\"",
        "git = \"git@github.com:owner/repo.git\"",
        "email = \"mailto:someone@example.com\"",
        "skip = \"sk-learn is a package name\"",
        "def tokenize(text, token_pattern=r\"\\w+\"): return re.findall(token_pattern, text)",
        "access_key = request.headers.get(\"X-Access-Key\")",
        "self.secret_name = \"prod/db\"",
        "hash = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
        "uuid = \"123e4567-e89b-12d3-a456-426614174000\"",
        "for token in tokens: yield token.value",
        "private_key = load_pem_private_key(data, password=None)",
      })
  void ordinaryCodeAboutTokensSecretsAndUrlsIsNotRedacted(String code) {
    SecretRedactor.Redacted r = SecretRedactor.redact(code);
    assertThat(r.text()).isEqualTo(code);
    assertThat(r.count()).isZero();
  }
}
