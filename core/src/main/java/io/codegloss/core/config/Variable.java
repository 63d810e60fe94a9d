package io.codegloss.core.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a command-line option that sets a setting: its value becomes the flag layer of {@link
 * Settings} under this variable name, so the option and the environment variable share one
 * validation (in the settings record that reads it) and one precedence rule. The CLI's help, the
 * docs check and the flag-to-variable map are all read from this one annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Variable {

  /** The environment variable (and config-file key), e.g. {@code RAG_BATCH_MAX_TOKENS}. */
  String value();
}
