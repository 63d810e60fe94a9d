package io.codegloss.dashboard;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests whose Host header names anything but this server: a hostile page whose DNS name
 * is rebound to 127.0.0.1 reaches the port with its own name in Host, and must get nothing back.
 */
final class HostCheck implements Handler {

  private final Set<String> allowed;

  HostCheck(String configuredHost, List<String> moreNames) {
    Set<String> hosts = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
    hosts.add(normalize(configuredHost.trim()));
    moreNames.forEach(n -> hosts.add(normalize(n.trim())));
    this.allowed = Set.copyOf(hosts);
  }

  @Override
  public void handle(Context ctx) {
    String host = ctx.header("Host");
    if (host == null || !allowed.contains(normalize(stripPort(host.trim())))) {
      throw new ForbiddenResponse("unknown Host header; use the address the dashboard is bound to");
    }
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    // More than one colon is a bare IPv6 literal, which has no port.
    return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.substring(0, colon);
  }

  private static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("::1") ? "[::1]" : h;
  }
}
