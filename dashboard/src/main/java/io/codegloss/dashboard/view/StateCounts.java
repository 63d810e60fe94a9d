package io.codegloss.dashboard.view;

/**
 * Jobs counted by state. {@code tooLarge} is the part of {@code enqueued} whose token size exceeds
 * the largest live worker's limit: those wait until a bigger worker comes up.
 */
public record StateCounts(
    long enqueued,
    long processing,
    long succeeded,
    long partial,
    long split,
    long failed,
    long tooLarge) {

  public static final StateCounts EMPTY = new StateCounts(0, 0, 0, 0, 0, 0, 0);

  public long total() {
    return enqueued + processing + succeeded + partial + split + failed;
  }

  StateCounts with(String status, long count) {
    return switch (status) {
      case "enqueued" ->
          new StateCounts(
              enqueued + count, processing, succeeded, partial, split, failed, tooLarge);
      case "processing" ->
          new StateCounts(
              enqueued, processing + count, succeeded, partial, split, failed, tooLarge);
      case "succeeded" ->
          new StateCounts(
              enqueued, processing, succeeded + count, partial, split, failed, tooLarge);
      case "partial" ->
          new StateCounts(
              enqueued, processing, succeeded, partial + count, split, failed, tooLarge);
      case "split" ->
          new StateCounts(
              enqueued, processing, succeeded, partial, split + count, failed, tooLarge);
      case "failed" ->
          new StateCounts(
              enqueued, processing, succeeded, partial, split, failed + count, tooLarge);
      default -> throw new IllegalArgumentException("unknown job status " + status);
    };
  }

  StateCounts withTooLarge(long count) {
    return new StateCounts(
        enqueued, processing, succeeded, partial, split, failed, tooLarge + count);
  }

  StateCounts plus(StateCounts o) {
    return new StateCounts(
        enqueued + o.enqueued,
        processing + o.processing,
        succeeded + o.succeeded,
        partial + o.partial,
        split + o.split,
        failed + o.failed,
        tooLarge + o.tooLarge);
  }
}
