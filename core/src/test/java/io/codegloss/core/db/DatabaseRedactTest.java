package io.codegloss.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseRedactTest {

  @Test
  void aPasswordInAQueryParameterIsNeverShown() {
    assertThat(Database.redact("jdbc:postgresql://db:5432/cg?user=cg&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/cg?user=cg&password=***&ssl=true");
  }

  @Test
  void aPasswordInTheUserInfoIsNeverShown() {
    assertThat(Database.redact("jdbc:postgresql://cg:s3cr@t@db:5432/cg"))
        .doesNotContain("s3cr")
        .isEqualTo("jdbc:postgresql://cg:***@db:5432/cg");
    assertThat(Database.redact("postgres://cg:s3cret@db/cg")).isEqualTo("postgres://cg:***@db/cg");
  }

  @Test
  void aUrlWithoutCredentialsStaysAsItIs() {
    assertThat(Database.redact("jdbc:postgresql://db:5432/cg"))
        .isEqualTo("jdbc:postgresql://db:5432/cg");
  }
}
