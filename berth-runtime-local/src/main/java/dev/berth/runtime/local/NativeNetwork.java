package dev.berth.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An instance's network namespace wired without forking {@code ip}: netlink through {@link
 * Netlink}, namespaces through {@link Netns}. The same result as {@link Network}'s {@code ip
 * -batch} scripts: a veth pair whose host side is up on the bridge, {@code eth0} inside with the
 * instance's MAC and address, {@code lo} up, a default route via the gateway. Thread-safe (a socket
 * per call).
 */
final class NativeNetwork {
  private static final int LOOPBACK_INDEX = 1;
  private final Libc libc;
  private final Netns netns;
  private final String bridge;
  private final Subnet subnet;

  NativeNetwork(Libc libc, Netns netns, String bridge, Subnet subnet) {
    this.libc = libc;
    this.netns = netns;
    this.bridge = bridge;
    this.subnet = subnet;
  }

  /**
   * Makes the namespace {@code ns} with a veth pair ({@code hostVeth} on the bridge) and eth0 =
   * {@code ip}.
   */
  void create(Path ns, String hostVeth, String ip) {
    Netns.Handle h = netns.create(ns);
    try {
      try (Netlink host = Netlink.open(libc)) {
        int master = bridgeIndex();
        host.ack(
            "add veth " + hostVeth,
            s -> RtnlRequests.newVeth(s, hostVeth, master, "eth0", h.fd(), null));
      }
      configure(h.inside(), ip);
    } catch (RuntimeException e) {
      remove(ns, hostVeth);
      throw e;
    } finally {
      h.inside().close();
      libc.close(h.fd());
    }
  }

  /**
   * Makes the namespace {@code ns} with a veth pair whose host side {@code veth} is down and on no
   * bridge.
   */
  void prepare(Path ns, String veth) {
    Netns.Handle h = netns.create(ns);
    try (Netlink host = Netlink.open(libc)) {
      host.ack("add veth " + veth, s -> RtnlRequests.newVeth(s, veth, 0, "eth0", h.fd(), null));
    } catch (RuntimeException e) {
      remove(ns, veth);
      throw e;
    } finally {
      h.inside().close();
      libc.close(h.fd());
    }
  }

  /**
   * Wires a namespace made by {@link #prepare}: its host side renamed to {@code hostVeth}, up on
   * the bridge; eth0 inside with {@code ip}.
   */
  void adopt(Path ns, String preparedVeth, String hostVeth, String ip) {
    try (Netlink host = Netlink.open(libc)) {
      int index = host.linkIndex(preparedVeth);
      int master = bridgeIndex();
      host.ack(
          "rename " + preparedVeth + " to " + hostVeth,
          s -> RtnlRequests.setLink(s, index, hostVeth, null, master));
    }
    Netns.Handle h = netns.enter(ns);
    try (Netlink inside = h.inside()) {
      configure(inside, ip);
    } finally {
      libc.close(h.fd());
    }
  }

  /** Inside a namespace whose eth0 exists: eth0 and lo up, the address, the default route. */
  void configure(Netlink inside, String ip) {
    int eth0 = inside.linkIndex("eth0");
    inside.ack(
        "set eth0 up",
        s -> RtnlRequests.setLink(s, eth0, null, RtnlRequests.mac(Network.macOf(ip)), 0));
    inside.ack("set lo up", s -> RtnlRequests.setLink(s, LOOPBACK_INDEX, null, null, 0));
    inside.ack(
        "add address " + ip,
        s -> RtnlRequests.addAddress(s, eth0, RtnlRequests.ipv4(ip), subnet.prefix()));
    inside.ack(
        "add default route via " + subnet.gateway(),
        s -> RtnlRequests.replaceDefaultRoute(s, RtnlRequests.ipv4(subnet.gateway()), eth0));
  }

  /**
   * Whether the namespace {@code ns} exists with {@code ip} inside and {@code hostVeth} outside.
   */
  boolean intact(Path ns, String hostVeth, String ip) {
    if (!Files.exists(ns) || !Files.exists(Path.of("/sys/class/net", hostVeth))) {
      return false;
    }
    Netns.Handle h;
    try {
      h = netns.enter(ns);
    } catch (RuntimeException e) {
      return false;
    }
    try (Netlink inside = h.inside()) {
      byte[] want = RtnlRequests.ipv4(ip);
      return inside.dump("list addresses", RtnlRequests::dumpAddresses).stream()
          .flatMap(r -> r.attrs(8).stream())
          .anyMatch(a -> a.type() == RtnlRequests.IFA_LOCAL && Arrays.equals(a.data(), want));
    } finally {
      libc.close(h.fd());
    }
  }

  /** Deletes the veth pair, then the namespace. Idempotent. */
  void remove(Path ns, String hostVeth) {
    deleteLink(hostVeth);
    netns.remove(ns);
  }

  /** Deletes the link {@code name} in the host's namespace unless it is gone already. */
  void deleteLink(String name) {
    try (Netlink host = Netlink.open(libc)) {
      host.ack("delete link " + name, s -> RtnlRequests.deleteLink(s, name));
    } catch (Libc.Failed e) {
      if (e.errno() != Libc.ENODEV) {
        throw e;
      }
    }
  }

  int bridgeIndex() {
    try {
      return Integer.parseInt(
          Files.readString(Path.of("/sys/class/net", bridge, "ifindex")).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException(
          "cannot read the index of bridge " + bridge + ": " + e.getMessage(), e);
    }
  }
}
