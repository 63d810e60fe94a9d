package io.codegloss.worker.llm;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the metadata of a GGUF file: magic "GGUF", version (2 or 3), tensor count, key-value count,
 * then the typed key-value pairs. It stops after the key-value section and never reads the tensors.
 * String values up to {@link #MAX_STRING} bytes are kept; arrays (the tokenizer's vocab) are
 * skipped. Everything is little-endian.
 */
final class GgufHeader {

  static final int MAX_STRING = 1 << 20;
  private static final int MAX_KV = 1 << 16;

  private GgufHeader() {}

  /** The string and scalar metadata of {@code file}; arrays are left out. */
  static Map<String, Object> read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(in);
    }
  }

  static Map<String, Object> read(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    byte[] magic = in.readNBytes(4);
    if (!new String(magic, StandardCharsets.ISO_8859_1).equals("GGUF")) {
      throw new IOException("not a GGUF file (no GGUF magic)");
    }
    int version = u32(in);
    if (version < 2 || version > 3) {
      throw new IOException("unsupported GGUF version " + version);
    }
    u64(in); // tensor count
    long kvCount = u64(in);
    if (kvCount < 0 || kvCount > MAX_KV) {
      throw new IOException("implausible GGUF key-value count " + kvCount);
    }
    Map<String, Object> kv = new LinkedHashMap<>();
    for (long i = 0; i < kvCount; i++) {
      String key = string(in, true);
      int type = u32(in);
      Object value = value(in, type, true);
      if (value != null) {
        kv.put(key, value);
      }
    }
    return kv;
  }

  /** True when the file's metadata carries {@code tokenizer.chat_template}. */
  static boolean hasChatTemplate(Path file) throws IOException {
    Object t = read(file).get("tokenizer.chat_template");
    return t instanceof String s && !s.isBlank();
  }

  /** One value of GGUF type {@code type}; null for arrays (skipped) or when not kept. */
  private static Object value(DataInputStream in, int type, boolean keep) throws IOException {
    return switch (type) {
      case 0, 1 -> (long) (type == 0 ? in.readUnsignedByte() : in.readByte()); // u8, i8
      case 2 -> (long) (Short.reverseBytes(in.readShort()) & 0xffff);
      case 3 -> (long) Short.reverseBytes(in.readShort());
      case 4 -> Integer.toUnsignedLong(u32(in));
      case 5 -> (long) u32(in);
      case 6 -> Float.intBitsToFloat(u32(in));
      case 7 -> in.readUnsignedByte() != 0;
      case 8 -> string(in, keep);
      case 9 -> {
        int elementType = u32(in);
        long n = u64(in);
        if (n < 0) {
          throw new IOException("implausible GGUF array length " + n);
        }
        for (long j = 0; j < n; j++) {
          value(in, elementType, false);
        }
        yield null;
      }
      case 10, 11 -> u64(in); // u64, i64
      case 12 -> Double.longBitsToDouble(u64(in));
      default -> throw new IOException("unknown GGUF value type " + type);
    };
  }

  private static String string(DataInputStream in, boolean keep) throws IOException {
    long len = u64(in);
    if (len < 0 || (keep && len > MAX_STRING) || len > Integer.MAX_VALUE) {
      throw new IOException("implausible GGUF string length " + len);
    }
    if (!keep) {
      skip(in, len);
      return "";
    }
    byte[] b = in.readNBytes((int) len);
    if (b.length < len) {
      throw new EOFException("GGUF metadata ends inside a string");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void skip(DataInputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new EOFException("GGUF metadata ends early");
        }
        s = 1;
      }
      left -= s;
    }
  }

  private static int u32(DataInputStream in) throws IOException {
    return Integer.reverseBytes(in.readInt());
  }

  private static long u64(DataInputStream in) throws IOException {
    return Long.reverseBytes(in.readLong());
  }
}
