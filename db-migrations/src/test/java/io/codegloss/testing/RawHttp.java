package io.codegloss.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 request written by hand on a socket, for what java.net.http will not send (a Host
 * header of the test's choosing): the security tests of both dashboards use it.
 */
public final class RawHttp {

  private RawHttp() {}

  /**
   * Sends {@code request} (request line, headers and the blank line, as on the wire) to
   * 127.0.0.1:{@code port} and returns the response's status line and headers with LF line ends;
   * not the body, which an event stream never ends.
   */
  public static String head(int port, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        head.append((char) c);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          break;
        }
      }
      return head.toString().replace("\r\n", "\n");
    }
  }

  /** The status code of a {@link #head}. */
  public static int status(String head) {
    return Integer.parseInt(head.split(" ", 3)[1]);
  }
}
