package io.codegloss.scheduler.index;

import io.codegloss.scheduler.index.walk.SecretFiles;
import io.codegloss.scheduler.index.walk.SkipReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
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
   * @param bytes the file's bytes, with any byte that is not valid UTF-8 replaced by '?'
   * @param sha256 hex digest of the file's bytes as read, as stored in files.content_hash
   * @param repairedBytes how many invalid bytes were replaced (0 for a valid UTF-8 file)
   */
  record Text(byte[] bytes, String text, String sha256, int lineCount, int repairedBytes)
      implements Read {}

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
    // A stray byte (a Latin-1 'é' in a comment) must not cost the file all its spans: each invalid
    // byte is read as '?', one byte for one byte, so every span's byte offsets stay exact.
    byte[] utf8 = bytes.clone();
    int repaired = repair(utf8);
    String text = new String(utf8, StandardCharsets.UTF_8);
    return new Text(utf8, text, sha256(bytes), lineCount(bytes), repaired);
  }

  /** Replaces every byte that is not part of valid UTF-8 with '?'; returns how many. */
  static int repair(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
    int repaired = 0;
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        return repaired;
      }
      if (r.isOverflow()) {
        out.clear();
        continue;
      }
      for (int i = 0; i < r.length(); i++) {
        bytes[in.position() + i] = '?';
      }
      repaired += r.length();
      in.position(in.position() + r.length());
    }
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
