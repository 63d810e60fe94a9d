package io.codegloss.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to this host by a veth pair with a /30 of 10.213.0.0/16 (addresses
 * this machine makes up; nothing leaves it). The host end is {@link #hostAddress}, the namespace's
 * {@link #nsAddress}. Names are unique per instance and start with {@value #PREFIX}, so that
 * leftovers of a crashed run are found and deleted ({@link #deleteLeftovers}).
 */
final class NetNs implements AutoCloseable {

  static final String PREFIX = "cgpart";

  final String name;
  final String hostVeth;
  final String nsVeth;
  final String hostAddress;
  final String nsAddress;

  private NetNs(int id) {
    this.name = PREFIX + id;
    this.hostVeth = "cgh" + id;
    this.nsVeth = "cgn" + id;
    int third = id % 250 + 1;
    this.hostAddress = "10.213." + third + ".1";
    this.nsAddress = "10.213." + third + ".2";
  }

  /** Null when namespaces cannot be made here (not root, no iproute2, no CAP_NET_ADMIN). */
  static String unavailableBecause() {
    Run r = run(List.of("ip", "netns", "list"));
    if (r.code != 0) {
      return "network namespaces unavailable: 'ip netns list' failed: " + r.output.strip();
    }
    NetNs probe = new NetNs(ThreadLocalRandom.current().nextInt(10000, 99999));
    Run add = run(List.of("ip", "netns", "add", probe.name));
    run(List.of("ip", "netns", "delete", probe.name));
    return add.code == 0
        ? null
        : "network namespaces unavailable: 'ip netns add' failed: " + add.output.strip();
  }

  /** Deletes namespaces and host veths of earlier runs of this test. */
  static void deleteLeftovers() {
    for (String line : run(List.of("ip", "netns", "list")).output.split("\n")) {
      String ns = line.strip().split("\\s+")[0];
      if (ns.startsWith(PREFIX)) {
        run(List.of("ip", "netns", "delete", ns));
      }
    }
    for (String line : run(List.of("ip", "-o", "link", "show")).output.split("\n")) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        String dev = parts[1].split("@")[0];
        if (dev.startsWith("cgh") && dev.length() <= 8) {
          run(List.of("ip", "link", "delete", dev));
        }
      }
    }
  }

  static NetNs create() {
    NetNs n = new NetNs(ThreadLocalRandom.current().nextInt(10000, 99999));
    try {
      must("ip", "netns", "add", n.name);
      must("ip", "link", "add", n.hostVeth, "type", "veth", "peer", "name", n.nsVeth);
      must("ip", "link", "set", n.nsVeth, "netns", n.name);
      must("ip", "addr", "add", n.hostAddress + "/30", "dev", n.hostVeth);
      must("ip", "link", "set", n.hostVeth, "up");
      must(
          "ip", "netns", "exec", n.name, "ip", "addr", "add", n.nsAddress + "/30", "dev", n.nsVeth);
      must("ip", "netns", "exec", n.name, "ip", "link", "set", n.nsVeth, "up");
      must("ip", "netns", "exec", n.name, "ip", "link", "set", "lo", "up");
      return n;
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
  }

  /** The prefix that runs a command inside the namespace. */
  List<String> exec() {
    return List.of("ip", "netns", "exec", name);
  }

  /** The partition: the host end goes down, packets in flight are dropped, nothing is refused. */
  void cut() {
    must("ip", "link", "set", hostVeth, "down");
  }

  void restore() {
    must("ip", "link", "set", hostVeth, "up");
  }

  /** Deletes the namespace (which deletes its veth end, and with it the pair). */
  @Override
  public void close() {
    run(List.of("ip", "netns", "delete", name));
    run(List.of("ip", "link", "delete", hostVeth));
  }

  private static void must(String... cmd) {
    Run r = run(List.of(cmd));
    if (r.code != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output.strip());
    }
  }

  private record Run(int code, String output) {}

  private static Run run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Run(-1, "timed out");
      }
      return new Run(
          p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Run(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, "interrupted");
    }
  }
}
