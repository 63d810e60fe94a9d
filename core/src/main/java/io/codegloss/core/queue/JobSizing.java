package io.codegloss.core.queue;

/**
 * The size of an enrichment job in tokens, the one number a worker compares with its own limit
 * before it takes a job, and the output cap it passes to the model. The planner stores {@link
 * #jobTokens} in {@code jobs.tokens}; the worker uses the same methods to budget its call, so both
 * sides agree on what "fits".
 *
 * <pre>
 * jobTokens(spanTokens, n) = promptOverhead(n) + spanTokens + outputCap(n)
 * promptOverhead(n)        = INSTRUCTION_TOKENS + n * SPAN_MARKER_TOKENS
 * outputCap(n)             = n * OUTPUT_TOKENS_PER_SPAN + OUTPUT_WRAPPER_TOKENS
 * </pre>
 *
 * Single-span jobs use the same formula with n = 1. Read-only context (neighbour signatures and
 * summaries, see the scheduler's ContextSpans) is not counted: it is optional, and the prompt
 * builder adds only as much of it as fits in the worker's remaining budget.
 */
public final class JobSizing {

  /**
   * Budget for the fixed text of a prompt: instructions, the field descriptions of the enrichment
   * schema, the batch header and the request for {"items": [...]}. The prompt builder's fixed text
   * has to stay within it, or workers take jobs that do not fit them.
   */
  public static final int INSTRUCTION_TOKENS = 600;

  /**
   * One span's header in the prompt, e.g. {@code === SPAN 3: src/app/user.py:120-148 method
   * User.set_email ===}, plus the blank lines around its code.
   */
  public static final int SPAN_MARKER_TOKENS = 24;

  /**
   * Output budget per span. Since prompt version 2 the model writes prose only (summary, pitfalls,
   * one meaning per listed parameter, return value and side effect); usage snippet, evidence and
   * related names come from analysis. A generous item (a 120-word summary, 3 pitfalls, 4 inputs, an
   * output, 2 side effects, keys and span_index) is 316 tokens in Gemma 3's tokenizer; 352 leaves
   * headroom above that, because a reply cut by the cap is a failed item (finish_reason=length),
   * not a shorter one. (Version 1, eight fields: 448.)
   */
  public static final int OUTPUT_TOKENS_PER_SPAN = 352;

  /** {"items": [ ... ]} around the objects and the span_index keys. */
  public static final int OUTPUT_WRAPPER_TOKENS = 16;

  /**
   * The context window a worker has when nobody says otherwise ({@code CODEGLOSS_CONTEXT}'s
   * default), and so the largest job a batch may become: the planner closes a batch before its job
   * would outgrow it. Without this cap, batches of about 20 small spans (2,000 span tokens plus 20
   * output caps of 352) came to 8,700-10,100 tokens; on the stdlib 591 of them fitted no default
   * worker and would have waited forever.
   */
  public static final int DEFAULT_CONTEXT_TOKENS = 8192;

  private JobSizing() {}

  /** Prompt tokens that are not span code, for a job of {@code spans} spans. */
  public static int promptOverhead(int spans) {
    requireSpans(spans);
    return Math.addExact(INSTRUCTION_TOKENS, Math.multiplyExact(spans, SPAN_MARKER_TOKENS));
  }

  /** The output cap (max new tokens) for a job of {@code spans} spans. */
  public static int outputCap(int spans) {
    requireSpans(spans);
    return Math.addExact(Math.multiplyExact(spans, OUTPUT_TOKENS_PER_SPAN), OUTPUT_WRAPPER_TOKENS);
  }

  /** Prompt plus output cap for a job whose spans' code is {@code spanTokens} tokens. */
  public static int jobTokens(int spanTokens, int spans) {
    if (spanTokens < 0) {
      throw new IllegalArgumentException("span tokens must not be negative: " + spanTokens);
    }
    return Math.addExact(Math.addExact(promptOverhead(spans), spanTokens), outputCap(spans));
  }

  /**
   * The size a single-span job is stored and fetched at: its whole size when that is within {@code
   * capTokens} (a default worker's context, or the planner's larger {@code maxJobTokens}), else
   * {@code capTokens}. A worker cuts a span's code by whole lines from the head to fit its own
   * budget and records the cut beside the note, so a span larger than every default worker still
   * gets a note from a default worker instead of waiting forever for a larger one; a larger worker
   * that fetches it first sends more of the code (all of it when it fits there).
   */
  public static int singleJobTokens(int spanTokens, int capTokens) {
    int whole = jobTokens(spanTokens, 1);
    return Math.min(whole, Math.max(capTokens, jobTokens(0, 1)));
  }

  /** {@link #singleJobTokens(int, int)} with a default worker's context as the cap. */
  public static int singleJobTokens(int spanTokens) {
    return singleJobTokens(spanTokens, DEFAULT_CONTEXT_TOKENS);
  }

  /**
   * The tokens of code a job of {@code spans} spans can carry on a worker whose limit is {@code
   * maxTokens}: what a larger span's code has to be cut to (by whole lines from the head, as the
   * prompt builder cuts) to fit there; 0 when not even the prompt's fixed part fits.
   */
  public static int codeBudget(int maxTokens, int spans) {
    return Math.max(0, maxTokens - promptOverhead(spans) - outputCap(spans));
  }

  private static void requireSpans(int spans) {
    if (spans < 1) {
      throw new IllegalArgumentException("a job has at least one span, not " + spans);
    }
  }
}
