package io.codegloss.core.enrich;

import io.codegloss.core.facts.SpanFacts;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names a model may give meanings for, read from a span's facts: its parameters, whether it
 * returns a value, its side-effect candidates. The prompt lists exactly these and the validator
 * accepts exactly these, so both read them here.
 */
public final class FactNames {

  /** Declared return types that mean "no value". */
  private static final Set<String> NO_VALUE =
      Set.of("void", "none", "unit", "nothing", "never", "noreturn", "()");

  private FactNames() {}

  /** Parameter names in declaration order, without duplicates. */
  public static List<String> params(SpanFacts facts) {
    Set<String> out = new LinkedHashSet<>();
    facts.params().forEach(p -> out.add(p.name()));
    return List.copyOf(out);
  }

  /** Side-effect details in source order, without duplicates. */
  public static List<String> sideEffects(SpanFacts facts) {
    Set<String> out = new LinkedHashSet<>();
    facts.sideEffects().forEach(e -> out.add(e.detail()));
    return List.copyOf(out);
  }

  /**
   * True when the facts show a return value: a declared return type that is not void-like, or a
   * return/yield statement. A bare {@code return} also counts (analysis does not tell them apart);
   * the model may then describe "nothing" and the validator drops that as an empty word.
   */
  public static boolean returnsValue(SpanFacts facts) {
    String t = facts.returnType();
    if (t != null && !t.isBlank()) {
      return !NO_VALUE.contains(t.strip().toLowerCase(Locale.ROOT));
    }
    return !facts.returnLines().isEmpty();
  }
}
