package io.codegloss.core.span;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {

  @Test
  void emptyCodeHasNoTokens() {
    assertThat(TokenEstimate.of("")).isZero();
  }

  @Test
  void roundsUpSoThatShortCodeNeverCountsAsFree() {
    assertThat(TokenEstimate.of("x")).isEqualTo(1);
    assertThat(TokenEstimate.of("abcd")).isEqualTo(2);
    assertThat(TokenEstimate.of("abcdef")).isEqualTo(2);
  }

  @Test
  void countsUtf8BytesNotCharactersForNonAsciiCode() {
    String code = "s = '\uD83D\uDE00 é 漢'";
    int bytes = code.getBytes(StandardCharsets.UTF_8).length;
    assertThat(TokenEstimate.utf8Length(code)).isEqualTo(bytes);
    assertThat(TokenEstimate.of(code)).isEqualTo((int) Math.ceil(bytes / 3.0));
  }

  @Test
  void overEstimatesTypicalPythonCodeComparedWithFourBytesPerToken() {
    String code =
        "def set_email(self, email: str) -> None:\n"
            + "    if '@' not in email:\n"
            + "        raise ValueError(email)\n"
            + "    self._email = email\n";
    assertThat(TokenEstimate.of(code)).isGreaterThan(code.length() / 4);
  }

  @Test
  void theConservativeCountTakesEveryDigitAsATokenAndTwoBytesForTheRest() {
    assertThat(TokenEstimate.conservative("")).isZero();
    assertThat(TokenEstimate.conservative("0x1f2e")).isEqualTo(4 + 1);
    assertThat(TokenEstimate.conservative("abcd")).isEqualTo(2);
    assertThat(TokenEstimate.conservative("é")).isEqualTo(1);
  }

  @Test
  void theConservativeCountIsNeverBelowThePlanningEstimateForCode() {
    String code = "int main(void) {\n  return printf(\"%d\\n\", 42);\n}\n";
    assertThat(TokenEstimate.conservative(code)).isGreaterThanOrEqualTo(TokenEstimate.of(code));
  }
}
