package io.codegloss.worker.enrich;

import io.codegloss.core.enrich.RelatedResolver;
import io.codegloss.core.span.Span;
import io.codegloss.core.span.SpanKind;
import java.util.List;
import java.util.Map;

/** A small Python class split into three method spans, shared by the enrichment tests. */
public final class EnrichFixtures {

  private EnrichFixtures() {}

  public static final Span GET_EMAIL =
      span(101, "get_email", 10, 11, "def get_email(self):\n        return self._email\n");

  public static final Span SET_EMAIL =
      span(
          102,
          "set_email",
          13,
          16,
          "def set_email(self, email):\n"
              + "        if not self.validate_email(email):\n"
              + "            raise ValueError(\"bad email\")\n"
              + "        self._email = email\n");

  public static final Span VALIDATE_EMAIL =
      span(
          103,
          "validate_email",
          18,
          19,
          "def validate_email(self, email):\n        return \"@\" in email\n");

  public static final List<Span> USER_SPANS = List.of(GET_EMAIL, SET_EMAIL, VALIDATE_EMAIL);

  /** Knows the three methods by name and symbol, and nothing else. */
  public static final RelatedResolver USER_RESOLVER =
      RelatedResolver.of(
          Map.of(
              "get_email", 101L,
              "User.get_email", 101L,
              "set_email", 102L,
              "User.set_email", 102L,
              "validate_email", 103L,
              "User.validate_email", 103L));

  public static Span span(long id, String name, int start, int end, String code) {
    return new Span(
        id,
        1,
        7,
        "app/user.py",
        "python",
        SpanKind.METHOD,
        name,
        "User." + name,
        null,
        start,
        end,
        0,
        code.length(),
        code.lines().findFirst().orElse("").strip(),
        null,
        code,
        "hash-" + id,
        code.length() / 4);
  }

  /** A good item for SET_EMAIL as a model would write it. */
  public static String setEmailItem() {
    return """
        {"summary_120w": "Sets the user's email after checking it with validate_email. Raises ValueError when the address has no @ sign.",
         "inputs": ["email: str"],
         "outputs": [],
         "side_effects": ["overwrites self._email"],
         "pitfalls": ["validation is only an @ check"],
         "usage_snippet": "user.set_email('a@b.c')",
         "evidence": [{"field": "summary_120w", "lines": [13, 16]}, {"field": "pitfalls", "lines": [14, 15]}],
         "related_spans": ["validate_email", "get_email"]}
        """;
  }
}
