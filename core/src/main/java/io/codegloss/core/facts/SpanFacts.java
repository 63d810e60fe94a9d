package io.codegloss.core.facts;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the code of one span states exactly, found by analysis at index time without a model. Every
 * entry carries the absolute file line it was read from, so a note can cite its evidence.
 *
 * @param signature the declaration up to its body, whitespace folded
 * @param params in declaration order; the receiver ({@code self}, {@code this}) is left out
 * @param returnType the declared return type, or null when the language or the code states none
 * @param returnLines lines of {@code return}/{@code yield} statements of this span (not of nested
 *     functions)
 * @param raises exceptions raised or thrown by this span's own statements
 * @param docstring the span's own docstring or doc comment, markers stripped, or null
 * @param docLines the lines the docstring occupies (first, last), or null; a prompt that must not
 *     show the docstring cuts these lines out
 * @param calls calls made by this span's own statements, in source order
 * @param sideEffects side-effect candidates found in this span's own statements
 */
public record SpanFacts(
    @Nullable String signature,
    List<Param> params,
    @Nullable String returnType,
    List<Integer> returnLines,
    List<Raise> raises,
    @Nullable String docstring,
    @Nullable LineRange docLines,
    List<Call> calls,
    List<SideEffect> sideEffects) {

  public SpanFacts {
    params = List.copyOf(params);
    returnLines = List.copyOf(returnLines);
    raises = List.copyOf(raises);
    calls = List.copyOf(calls);
    sideEffects = List.copyOf(sideEffects);
  }

  /**
   * These facts as a prompt may show them: secrets cut out of default values, the docstring and
   * side-effect details ({@link io.codegloss.core.span.SecretRedactor}).
   */
  public SpanFacts forPrompt() {
    java.util.function.UnaryOperator<String> r =
        s -> s == null ? null : io.codegloss.core.span.SecretRedactor.redact(s).text();
    return new SpanFacts(
        r.apply(signature),
        params.stream().map(p -> new Param(p.name(), p.type(), r.apply(p.defaultValue()))).toList(),
        returnType,
        returnLines,
        raises,
        r.apply(docstring),
        docLines,
        calls,
        sideEffects.stream()
            .map(x -> new SideEffect(x.kind(), r.apply(x.detail()), x.line()))
            .toList());
  }

  /** Facts of a span whose language gets no analysis beyond its signature. */
  public static SpanFacts signatureOnly(@Nullable String signature) {
    return new SpanFacts(
        signature, List.of(), null, List.of(), List.of(), null, null, List.of(), List.of());
  }

  /**
   * One parameter.
   *
   * @param type the annotation as written, or null
   * @param defaultValue the default as written, or null
   */
  public record Param(String name, @Nullable String type, @Nullable String defaultValue) {}

  /** An exception raised or thrown: its type name as written (e.g. {@code ValueError}). */
  public record Raise(String name, int line) {}

  /**
   * A call as written in the code.
   *
   * @param name the called name: {@code dumps}, {@code encode}, {@code Parser}
   * @param receiver what it was called on as written ({@code self}, {@code this}, {@code os.path},
   *     {@code json}), or null for a bare call
   * @param line absolute file line of the call
   * @param receiverType the receiver's declared or constructed type when the span states it ({@code
   *     repo} declared as {@code UserRepo repo} or bound by {@code repo = UserRepo()}), or null.
   *     Added for the call resolver: without it a method call on a local, parameter or field can
   *     only be resolved by guessing among same-named methods.
   */
  public record Call(
      String name, @Nullable String receiver, int line, @Nullable String receiverType) {

    public Call(String name, @Nullable String receiver, int line) {
      this(name, receiver, line, null);
    }
  }

  /**
   * A side-effect candidate.
   *
   * @param detail what was touched, as written: {@code open}, {@code self.count}, {@code
   *     os.environ}
   */
  public record SideEffect(SideEffectKind kind, String detail, int line) {}

  /** Absolute file lines, inclusive. */
  public record LineRange(int start, int end) {}
}
