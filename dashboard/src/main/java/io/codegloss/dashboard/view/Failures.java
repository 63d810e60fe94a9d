package io.codegloss.dashboard.view;

import java.util.List;

/** The most recent failures, newest first. */
public record Failures(List<FailedCall> calls, List<FailedSpan> spans, List<FailedJob> jobs) {}
