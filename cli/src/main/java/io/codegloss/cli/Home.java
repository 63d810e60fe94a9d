package io.codegloss.cli;

import java.nio.file.Path;
import java.util.Map;

/** CODEGLOSS_HOME: the embedded database, the model, the logs, the config file. */
final class Home {

  private Home() {}

  static Path resolve(Map<String, String> env) {
    String h = env.get("CODEGLOSS_HOME");
    if (h != null && !h.isBlank()) {
      return Path.of(h).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".codegloss");
  }
}
