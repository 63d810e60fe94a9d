package io.codegloss.scheduler.index;

import io.codegloss.scheduler.index.walk.SecretFiles;
import io.codegloss.scheduler.index.walk.SkipReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads one source file and decides whether its content may be indexed. */
final class SourceContent {

  /** The outcome of reading a file: text to index, a reason to skip it, or a file that is gone. */
  sealed interface Read permits Text, Skip, Gone {}

  /**
   * @param sha256 hex digest of the bytes, as stored in files.content_hash
   */
  record Text(byte[] bytes, String text, String sha256, int lineCount) implements Read {}

  record Skip(SkipReason reason, String detail) implements Read {}

  /** Deleted (or replaced by something that is not a file) between the walk and the read. */
  record Gone() implements Read {}

  private SourceContent() {}

  static Read read(Path file, long maxBytes) {
    byte[] bytes;
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        // replaced by a folder, a link or a device since the walk: not a source file any more
        return new Gone();
      }
      if (attrs.size() > maxBytes) {
        return new Skip(SkipReason.TOO_LARGE, "grew past CODEGLOSS_MAX_FILE_BYTES=" + maxBytes);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Gone();
    } catch (IOException | SecurityException e) {
      return new Skip(SkipReason.UNREADABLE, describe(e));
    }
    if (bytes.length > maxBytes) {
      return new Skip(SkipReason.TOO_LARGE, "grew past CODEGLOSS_MAX_FILE_BYTES=" + maxBytes);
    }
    int nul = indexOfNul(bytes);
    if (nul >= 0) {
      return new Skip(SkipReason.BINARY, "NUL byte at offset " + nul);
    }
    if (SecretFiles.containsPrivateKey(bytes)) {
      return new Skip(SkipReason.SECRET, "contains a private key block");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return new Skip(
          SkipReason.NON_UTF8,
          "not valid UTF-8; re-encode it as UTF-8 to index it (byte offsets must be exact)");
    }
    return new Text(bytes, text, sha256(bytes), lineCount(bytes));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  static int lineCount(byte[] bytes) {
    if (bytes.length == 0) {
      return 0;
    }
    int lines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        lines++;
      }
    }
    return bytes[bytes.length - 1] == '\n' ? lines : lines + 1;
  }

  private static int indexOfNul(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(Throwable e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }
}
