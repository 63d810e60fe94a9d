package io.codegloss.dashboard.view;

import io.codegloss.core.note.SpanNote;

/**
 * The span page's data: the note (facts with source analysis, prose with source model or docstring,
 * calls both ways, code) and the repository it belongs to. All text is untrusted.
 */
public record SpanView(String repositoryRoot, SpanNote note) {}
