package io.codegloss.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import io.codegloss.core.store.SpanTable;
import io.codegloss.worker.enrich.PromptBuilder.FittedCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassOutlineTest {

  private static final String CODE =
      "class User:\n"
          + "    def __init__(self, name):\n"
          + "        self.name = name\n"
          + "        self._email = None\n"
          + "\n"
          + "    def get_email(self):\n"
          + "        return self._email\n";

  private static final Span USER =
      new Span(
          1,
          1,
          1,
          "app/user.py",
          "python",
          SpanKind.CLASS,
          "User",
          "User",
          null,
          4,
          10,
          0,
          CODE.length(),
          "class User:",
          null,
          CODE,
          "h",
          30);

  @Test
  void aClassWhoseMethodsAreSpansOfTheirOwnIsSentAsAnOutline() {
    FittedCode outline =
        EnrichmentPipeline.code(
            USER,
            List.of(
                new SpanTable.Member("User.__init__", 5, 7),
                new SpanTable.Member("User.get_email", 9, 10)));

    assertThat(outline.text())
        .isEqualTo(
            "class User:\n"
                + "    def __init__(self, name):\n"
                + "        ... (body of User.__init__, described separately)\n"
                + "\n"
                + "    def get_email(self):\n"
                + "        ... (body of User.get_email, described separately)");
    assertThat(outline.cutLines()).isEqualTo(3);
  }

  @Test
  void aClassWithoutMemberSpansIsSentWhole() {
    assertThat(EnrichmentPipeline.code(USER, List.of()).text())
        .contains("\n        self.name = name\n")
        .endsWith("\n        return self._email");
  }
}
