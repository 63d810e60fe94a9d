package io.codegloss.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between stdin and the SDK's stdio transport, one line (one JSON-RPC message) at a time.
 * The transport ends the whole session on a line it cannot read; this answers such a line itself
 * with a JSON-RPC error (-32700 parse error, -32600 invalid request) and passes only well-formed
 * messages on, so that one malformed request never takes the server down. It also tells when stdin
 * ends: the client is gone and the server must exit.
 */
final class JsonRpcLines extends InputStream {

  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcLines.class);

  /** The SDK's own limit on one inbound message. */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final InputStream in;
  private final Answers out;
  private final ObjectMapper mapper;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Set<String> unanswered = new HashSet<>();
  private byte[] line = new byte[0];
  private int pos;

  /**
   * @param out the protocol's stream; the transport must write to {@link #out()}
   */
  JsonRpcLines(InputStream in, OutputStream out, ObjectMapper mapper) {
    this.in = in;
    this.out = new Answers(out);
    this.mapper = mapper;
  }

  /**
   * The stream the transport writes to: it sees which requests have been answered, and errors are
   * written under its lock, between whole messages.
   */
  OutputStream out() {
    return out;
  }

  /** Counts down when stdin has ended. */
  CountDownLatch ended() {
    return ended;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return line[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, line.length - pos);
    System.arraycopy(line, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Makes sure the buffer holds unread bytes of a well-formed message; false at the end. */
  private boolean fill() throws IOException {
    while (pos >= line.length) {
      byte[] next = readLine();
      if (next == null) {
        awaitAnswers();
        ended.countDown();
        return false;
      }
      if (accept(next)) {
        line = next;
        pos = 0;
      }
    }
    return true;
  }

  /** The next line with its newline, or null at the end of the stream. */
  private byte[] readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    int c;
    boolean tooLong = false;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (b.size() < MAX_LINE_BYTES) {
        b.write(c);
      } else {
        tooLong = true;
      }
    }
    if (c == -1 && b.size() == 0) {
      return null;
    }
    if (tooLong) {
      reply(null, -32600, "Invalid Request: message longer than " + MAX_LINE_BYTES + " bytes");
      return new byte[0];
    }
    b.write('\n');
    return b.toByteArray();
  }

  /** True when {@code bytes} is a JSON-RPC message; otherwise answers it with an error. */
  private boolean accept(byte[] bytes) throws IOException {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return false;
    }
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (IOException e) {
      LOG.warn(
          "malformed JSON-RPC line answered with a parse error: {}",
          String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      reply(null, -32700, "Parse error: not JSON");
      return false;
    }
    JsonNode id = node == null ? null : node.get("id");
    boolean valid =
        node != null
            && node.isObject()
            && "2.0".equals(node.path("jsonrpc").asText(null))
            && (node.has("method")
                ? node.get("method").isTextual()
                    && (!node.has("params") || node.get("params").isObject())
                : node.has("result") || node.has("error"))
            && (id == null || id.isTextual() || id.isIntegralNumber());
    if (valid && node.has("method") && id != null) {
      synchronized (unanswered) {
        unanswered.add(id.toString());
      }
    }
    if (!valid) {
      LOG.warn("invalid JSON-RPC message answered with an error");
      reply(
          id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null,
          -32600,
          "Invalid Request: not a JSON-RPC 2.0 message");
      return false;
    }
    return true;
  }

  /** Waits (at most the SDK's request timeout) until every request passed on has its answer. */
  private void awaitAnswers() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    synchronized (unanswered) {
      while (!unanswered.isEmpty() && System.nanoTime() < deadline) {
        try {
          unanswered.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!unanswered.isEmpty()) {
        LOG.warn("stdin ended with {} requests unanswered", unanswered.size());
      }
    }
  }

  /** Passes bytes on and, at each message's end, notes which request it answered. */
  private final class Answers extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream(1024);

    Answers(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          answered(message.toByteArray());
          message.reset();
        } else {
          message.write(b[i]);
        }
      }
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }

    private void answered(byte[] bytes) {
      try {
        JsonNode m = mapper.readTree(bytes);
        if (m != null && m.has("id") && !m.has("method")) {
          synchronized (unanswered) {
            unanswered.remove(m.get("id").toString());
            unanswered.notifyAll();
          }
        }
      } catch (IOException e) {
        LOG.debug("unreadable outbound message", e);
      }
    }
  }

  private void reply(JsonNode id, int code, String message) throws IOException {
    ObjectNode r = mapper.createObjectNode();
    r.put("jsonrpc", "2.0");
    if (id == null) {
      r.putNull("id");
    } else {
      r.set("id", id);
    }
    ObjectNode error = r.putObject("error");
    error.put("code", code);
    error.put("message", message);
    byte[] bytes = (mapper.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
    // the SDK's transport writes each message under the stream's own lock
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }
}
