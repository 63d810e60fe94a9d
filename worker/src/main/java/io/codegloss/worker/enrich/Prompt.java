package io.codegloss.worker.enrich;

/** One prompt: the system message (instructions) and the user message (the spans). */
public record Prompt(String system, String user) {}
