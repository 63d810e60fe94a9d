package io.codegloss.core.enrich;

import io.codegloss.core.facts.SideEffectKind;
import io.codegloss.core.facts.SpanFacts;
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

  /** What analysis finds in SET_EMAIL: one parameter, no return value, one field write. */
  public static final SpanFacts SET_EMAIL_FACTS =
      new SpanFacts(
          "def set_email(self, email):",
          List.of(new SpanFacts.Param("email", null, null)),
          null,
          List.of(),
          List.of(new SpanFacts.Raise("ValueError", 15)),
          null,
          null,
          List.of(
              new SpanFacts.Call("validate_email", "self", 14),
              new SpanFacts.Call("ValueError", null, 15)),
          List.of(new SpanFacts.SideEffect(SideEffectKind.FIELD_WRITE, "self._email", 16)));

  /** What analysis finds in GET_EMAIL: no parameters, a return statement, a docstring-free body. */
  public static final SpanFacts GET_EMAIL_FACTS =
      new SpanFacts(
          "def get_email(self):",
          List.of(),
          null,
          List.of(11),
          List.of(),
          null,
          null,
          List.of(),
          List.of());

  /** What analysis finds in VALIDATE_EMAIL: one typed parameter and a bool return type. */
  public static final SpanFacts VALIDATE_EMAIL_FACTS =
      new SpanFacts(
          "def validate_email(self, email):",
          List.of(new SpanFacts.Param("email", "str", null)),
          "bool",
          List.of(19),
          List.of(),
          "True when the address has an @ sign.",
          null,
          List.of(),
          List.of());

  /** The facts of USER_SPANS by span id, as the integrator loads them. */
  public static final Map<Long, SpanFacts> USER_FACTS =
      Map.of(101L, GET_EMAIL_FACTS, 102L, SET_EMAIL_FACTS, 103L, VALIDATE_EMAIL_FACTS);

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

  /** A good item for SET_EMAIL as a model would write it for the prose prompt. */
  public static String setEmailItem() {
    return """
        {"summary_120w": "Sets the user's email after checking it with validate_email. Raises ValueError when the address has no @ sign.",
         "pitfalls": ["validation is only an @ check"],
         "inputs": ["email: the new address, checked before it is stored"],
         "outputs": [],
         "side_effects": ["self._email: overwritten with the new address"]}
        """;
  }
}
