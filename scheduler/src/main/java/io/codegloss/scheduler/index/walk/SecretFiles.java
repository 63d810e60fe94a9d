package io.codegloss.scheduler.index.walk;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Names and contents that look like secrets. Such files are never read into the index, so that they
 * can never reach a model; the rules err on the side of leaving a file out.
 */
public final class SecretFiles {

  private static final Set<String> SECRET_DIRECTORIES = Set.of(".ssh", ".gnupg", ".aws");

  private static final Set<String> SECRET_NAMES =
      Set.of(
          ".netrc",
          "_netrc",
          ".pgpass",
          ".npmrc",
          ".pypirc",
          ".git-credentials",
          ".htpasswd",
          ".dockercfg",
          "credentials",
          "secrets.yml",
          "secrets.yaml",
          "secrets.json",
          "secrets.toml",
          "master.key",
          "known_hosts",
          "authorized_keys");

  private static final String[] SECRET_PREFIXES = {
    ".env", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "credentials.", "client_secret"
  };

  private static final String[] SECRET_SUFFIXES = {
    ".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".truststore", ".bks", ".p8", ".der",
    ".crt", ".cer", ".kdbx", ".gpg", ".asc", ".ppk", ".ovpn", ".tfstate", ".tfvars", ".credentials"
  };

  private static final byte[] PRIVATE_KEY_MARK =
      "PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);

  private SecretFiles() {}

  /** A directory whose whole content is secret material (for example {@code .ssh}). */
  public static boolean isSecretDirectory(String name) {
    return SECRET_DIRECTORIES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** A file whose name alone says it holds keys, passwords or tokens. */
  public static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (SECRET_NAMES.contains(lower)) {
      return true;
    }
    for (String p : SECRET_PREFIXES) {
      if (lower.startsWith(p)) {
        return true;
      }
    }
    for (String s : SECRET_SUFFIXES) {
      if (lower.endsWith(s)) {
        return true;
      }
    }
    return lower.startsWith("service-account") && lower.endsWith(".json");
  }

  /** Source text that embeds a private key block ("-----BEGIN ... PRIVATE KEY-----"). */
  public static boolean containsPrivateKey(byte[] content) {
    byte first = PRIVATE_KEY_MARK[0];
    int last = content.length - PRIVATE_KEY_MARK.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (content[i] != first) {
        continue;
      }
      for (int j = 1; j < PRIVATE_KEY_MARK.length; j++) {
        if (content[i + j] != PRIVATE_KEY_MARK[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
