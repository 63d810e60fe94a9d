package io.codegloss.scheduler.plan;

/**
 * What of a span's code the prompt carries; decided at planning time so that the planner budgets
 * what the model will actually read.
 *
 * <p>A class span's code contains the code of its members, which are spans of their own with their
 * own enrichments. Sending it whole would pay for every method twice (once in the class's job, once
 * in the method's) and would often make the class large enough to crowd out its neighbours. So a
 * class span that has child spans (spans whose {@code parent_id} is the class: methods, nested
 * classes) is sent as an {@link #OUTLINE}; a class without child spans (a struct, an enum, a record
 * without methods) is sent {@link #WHOLE}. Functions and methods are always sent whole.
 */
public enum SpanContent {
  /** The span's code as stored in {@code spans.code}. */
  WHOLE,
  /**
   * The class's own lines with every child span's body left out: each child span is replaced by its
   * signature ({@code spans.signature}, else its first line). Rendering this is the prompt
   * builder's job; {@link PlanSpan#tokens()} of an outlined class estimates this outline, not the
   * whole class, as {@code class tokens - sum(child tokens) + sum(one line's share of each child's
   * tokens)}, at least 1.
   */
  OUTLINE
}
