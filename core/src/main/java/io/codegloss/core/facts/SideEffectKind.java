package io.codegloss.core.facts;

/** The kinds of side effect analysis looks for; stored by {@link #name()} in lower case. */
public enum SideEffectKind {
  FILE,
  NETWORK,
  PROCESS,
  DATABASE,
  CONSOLE,
  GLOBAL_WRITE,
  FIELD_WRITE,
  PARAM_WRITE,
  ENVIRONMENT,
  CLOCK,
  RANDOM
}
