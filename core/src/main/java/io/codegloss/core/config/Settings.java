package io.codegloss.core.config;

import io.codegloss.core.error.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Every setting is named by its environment variable (for example {@code RAG_BATCH_MAX_TOKENS}) and
 * resolved with the precedence flag &gt; environment &gt; config file &gt; default. The config file
 * is a Java properties file whose keys are the same variable names. An invalid value is a {@link
 * ConfigException} that names the variable and where the value came from.
 */
public final class Settings {

  /** The config file's variable; the file itself is read only through {@link #configFile}. */
  public static final String CONFIG = "CODEGLOSS_CONFIG";

  private final Map<String, String> flags;
  private final Map<String, String> env;
  private final Map<String, String> file;
  private final @Nullable Path filePath;
  // variable -> the flag that set it, so that an error names what the user actually typed
  private final Map<String, String> flagNames;

  private Settings(
      Map<String, String> flags,
      Map<String, String> env,
      Map<String, String> file,
      @Nullable Path filePath,
      Map<String, String> flagNames) {
    this.flags = Map.copyOf(flags);
    this.env = Map.copyOf(env);
    this.file = Map.copyOf(file);
    this.filePath = filePath;
    this.flagNames = Map.copyOf(flagNames);
  }

  /**
   * @param flags values given on the command line, keyed by variable name
   * @param env the process environment
   * @param configFile a properties file; a missing file is fine, an unreadable one is an error
   */
  public static Settings load(
      Map<String, String> flags, Map<String, String> env, @Nullable Path configFile) {
    return load(flags, Map.of(), env, configFile);
  }

  /**
   * As {@link #load(Map, Map, Path)}, with {@code flagNames} (variable to flag, e.g. {@code
   * RAG_BATCH_MAX_TOKENS} to {@code --batch-max-tokens}) naming the flag in error messages.
   */
  public static Settings load(
      Map<String, String> flags,
      Map<String, String> flagNames,
      Map<String, String> env,
      @Nullable Path configFile) {
    Map<String, String> fromFile = new HashMap<>();
    if (configFile != null && Files.isRegularFile(configFile)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("cannot read config file " + configFile + ": " + e.getMessage());
      }
      p.forEach((k, v) -> fromFile.put(k.toString().trim(), v.toString().trim()));
    }
    return new Settings(flags, env, fromFile, configFile, flagNames);
  }

  /**
   * The config file when no --config is given: {@value #CONFIG}, else {@code
   * $CODEGLOSS_HOME/config.properties}. The file may be missing.
   */
  public static Path configFile(Map<String, String> env, Path home) {
    String named = env.get(CONFIG);
    return named != null && !named.isBlank() ? Path.of(named) : home.resolve("config.properties");
  }

  /** Settings from the environment and defaults only (tests, embedded use). */
  public static Settings of(Map<String, String> values) {
    return new Settings(values, Map.of(), Map.of(), null, Map.of());
  }

  /** A copy with further flags laid over this one's flags. */
  public Settings withFlags(Map<String, String> more) {
    Map<String, String> merged = new HashMap<>(flags);
    merged.putAll(more);
    return new Settings(merged, env, file, filePath, flagNames);
  }

  public Optional<String> optional(String name) {
    String v = flags.get(name);
    if (v == null) {
      v = env.get(name);
    }
    if (v == null) {
      v = file.get(name);
    }
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  public int intValue(String name, int defaultValue, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get().replace("_", ""));
    } catch (NumberFormatException e) {
      throw invalid(name, raw.get(), "a whole number from " + min + " to " + max);
    }
    if (value < min || value > max) {
      throw invalid(name, raw.get(), "a whole number from " + min + " to " + max);
    }
    return value;
  }

  /** on/off, true/false, yes/no, 1/0. */
  public boolean onOff(String name, boolean defaultValue) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1" -> {
        return true;
      }
      case "off", "false", "no", "0" -> {
        return false;
      }
      default -> throw invalid(name, raw.get(), "on or off");
    }
  }

  private ConfigException invalid(String name, String value, String expected) {
    return new ConfigException(
        "invalid value '"
            + value
            + "' for "
            + name
            + " (from "
            + source(name)
            + "): expected "
            + expected);
  }

  /** Where the value of {@code name} comes from: flag, environment, config file or default. */
  public String source(String name) {
    if (flags.containsKey(name)) {
      String flag = flagNames.get(name);
      return flag == null ? "flag" : "flag " + flag;
    }
    if (env.containsKey(name)) {
      return "environment";
    }
    if (file.containsKey(name)) {
      return "config file " + filePath;
    }
    return "default";
  }
}
