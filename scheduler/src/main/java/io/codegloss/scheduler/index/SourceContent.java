package io.codegloss.scheduler.index;

import io.codegloss.scheduler.index.extract.Language;
import io.codegloss.scheduler.index.walk.SecretFiles;
import io.codegloss.scheduler.index.walk.SkipReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads one source file and decides whether its content may be indexed. */
final class SourceContent {

  /** The outcome of reading a file: text to index, a reason to skip it, or a file that is gone. */
  sealed interface Read permits Text, Skip, Gone {}

  /**
   * @param bytes the text as UTF-8, what the parser reads and span byte offsets count: the file's
   *     own bytes with any byte that is not valid UTF-8 replaced by '?', or, for a file decoded by
   *     its declared encoding, that text re-encoded
   * @param sha256 hex digest of the file's bytes as read, as stored in files.content_hash
   * @param fileBytes the size of the file as read (what the walker's size check compares)
   * @param repairedBytes how many invalid bytes were replaced (0 for a valid file)
   * @param encoding the declared encoding the file was decoded by, or null for UTF-8
   * @param warning why the file was not read exactly as written, or null
   */
  record Text(
      byte[] bytes,
      String text,
      String sha256,
      int lineCount,
      long fileBytes,
      int repairedBytes,
      @Nullable String encoding,
      @Nullable String warning)
      implements Read {}

  record Skip(SkipReason reason, String detail) implements Read {}

  /** Deleted (or replaced by something that is not a file) between the walk and the read. */
  record Gone() implements Read {}

  private SourceContent() {}

  /** PEP 263: a comment on line 1 or 2 naming the file's encoding. */
  private static final Pattern CODING_COOKIE =
      Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");

  static Read read(Path file, long maxBytes, Language language) {
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
    String declared = language == Language.PYTHON ? codingCookie(bytes) : null;
    String warning = null;
    if (declared != null) {
      Charset charset = charsetOf(declared);
      if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
        return decodeDeclared(bytes, charset, declared);
      }
      if (charset == null) {
        warning = "declares coding '" + declared + "', which Java does not know: read as UTF-8";
      }
    }
    // A stray byte (a Latin-1 'é' in a comment) must not cost the file all its spans: each invalid
    // byte is read as '?', one byte for one byte, so every span's byte offsets stay exact.
    byte[] utf8 = bytes.clone();
    int repaired = repair(utf8);
    String text = new String(utf8, StandardCharsets.UTF_8);
    if (repaired > 0 && warning == null) {
      warning = repaired + " byte(s) not valid UTF-8, read as '?'";
    }
    return new Text(
        utf8, text, sha256(bytes), lineCount(bytes), bytes.length, repaired, null, warning);
  }

  /**
   * The encoding a Python file declares in a coding cookie on its first or second line, or null.
   * Only the first two lines are looked at, as Python itself does.
   */
  static @Nullable String codingCookie(byte[] bytes) {
    int lineStart = 0;
    for (int line = 0; line < 2 && lineStart < bytes.length; line++) {
      int end = lineStart;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      // every encoding a cookie may name is ASCII-compatible, so Latin-1 reads the cookie exactly;
      // a cookie sits near the start of its line, so a huge line is not copied whole
      int shown = Math.min(end - lineStart, 4096);
      String text = new String(bytes, lineStart, shown, StandardCharsets.ISO_8859_1);
      Matcher m = CODING_COOKIE.matcher(text);
      if (m.find()) {
        return m.group(1);
      }
      String stripped = text.strip();
      if (!stripped.isEmpty() && !stripped.startsWith("#")) {
        // a cookie after a line of code does not count
        return null;
      }
      lineStart = end + 1;
    }
    return null;
  }

  /**
   * Java's charset for a Python codec name ({@code latin-1}, {@code cp1252}, {@code utf8}...), or
   * null when Java has none or it is not ASCII-compatible (Python refuses those in a cookie).
   */
  static @Nullable Charset charsetOf(String pythonName) {
    String n = pythonName.toLowerCase(Locale.ROOT);
    if (n.startsWith("utf-8-") || n.startsWith("utf_8_") || n.equals("utf8")) {
      // utf-8-sig and friends (Emacs writes utf-8-unix, utf-8-dos): UTF-8 with a suffix
      return StandardCharsets.UTF_8;
    }
    if (n.matches("latin[-_]?1|iso[-_]?latin[-_]?1|l1|8859|cp819")) {
      return StandardCharsets.ISO_8859_1;
    }
    for (String candidate :
        List.of(n, n.replace('_', '-'), n.replace('-', '_'), n.replace("-", "").replace("_", ""))) {
      try {
        Charset c = Charset.forName(candidate);
        byte[] probe = "#coding:\n".getBytes(c);
        return Arrays.equals(probe, "#coding:\n".getBytes(StandardCharsets.US_ASCII)) ? c : null;
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // not this spelling; try the next
      }
    }
    return null;
  }

  private static Text decodeDeclared(byte[] bytes, Charset charset, String declared) {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length * 2));
    StringBuilder text = new StringBuilder(bytes.length);
    int repaired = 0;
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      out.flip();
      text.append(out);
      out.clear();
      if (r.isUnderflow()) {
        break;
      }
      if (r.isError()) {
        text.append("?".repeat(r.length()));
        repaired += r.length();
        in.position(in.position() + r.length());
      }
    }
    decoder.flush(out);
    out.flip();
    text.append(out);
    String s = text.toString();
    String warning =
        repaired == 0 ? null : repaired + " byte(s) not valid " + charset.name() + ", read as '?'";
    return new Text(
        s.getBytes(StandardCharsets.UTF_8),
        s,
        sha256(bytes),
        lineCount(bytes),
        bytes.length,
        repaired,
        declared + " (" + charset.name() + ")",
        warning);
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
