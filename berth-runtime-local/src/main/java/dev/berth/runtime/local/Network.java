package dev.berth.runtime.local;

import dev.berth.core.runtime.RuntimeFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge and the per-instance network namespaces. Each instance gets a namespace that outlives
 * its container restarts, a veth pair whose host side hangs on the bridge, {@code eth0} with its
 * fixed address and a default route via the bridge. No NAT: traffic stays on the bridge. Every
 * method is idempotent.
 *
 * <p>Namespaces and veth pairs are made through netlink and {@code mount(2)} ({@link
 * NativeNetwork}); where that is unavailable or a call fails, the reason is logged and {@code ip}
 * (iproute2) does the same work. The bridge itself is made once with {@code ip}.
 */
final class Network {
  private static final Logger log = LoggerFactory.getLogger(Network.class);
  private final String bridge;
  private final Subnet subnet;
  private final NativeNetwork nativeNet;
  private final AtomicInteger fallbacks = new AtomicInteger();
  private volatile NetnsPool pool;
  private volatile boolean bridgeDns;

  /** A network that sets up namespaces natively where this process can. */
  Network(String bridge, Subnet subnet) {
    this(
        bridge,
        subnet,
        NativeHost.get()
            .map(p -> new NativeNetwork(p.libc(), p.netns(), bridge, subnet))
            .orElse(null));
  }

  /** A network with the given native part, or {@code ip} only when it is null. */
  Network(String bridge, Subnet subnet, NativeNetwork nativeNet) {
    this.bridge = bridge;
    this.subnet = subnet;
    this.nativeNet = nativeNet;
  }

  String bridge() {
    return bridge;
  }

  String gateway() {
    return subnet.gateway();
  }

  /** Makes containers resolve names through a DNS server on the bridge's address. */
  void resolveOnBridge(boolean on) {
    bridgeDns = on;
  }

  /** The name server containers get, when not the host's: the bridge's address. */
  java.util.Optional<String> nameserver() {
    return bridgeDns ? java.util.Optional.of(subnet.gateway()) : java.util.Optional.empty();
  }

  void ensureBridge() {
    if (!Cmd.run("ip", "link", "show", "dev", bridge).ok()) {
      Cmd.Result add = Cmd.run("ip", "link", "add", bridge, "type", "bridge");
      if (!add.ok() && !Cmd.run("ip", "link", "show", "dev", bridge).ok()) {
        throw new RuntimeFailure("cannot create bridge " + bridge + ": " + add.output().strip());
      }
    }
    Cmd.check("ip", "addr", "replace", subnet.gateway() + "/" + subnet.prefix(), "dev", bridge);
    Cmd.check("ip", "link", "set", bridge, "up");
  }

  /**
   * The namespace name of an instance: unique per bridge, so two runtimes on one host do not clash.
   */
  String netns(String id) {
    return "berth-" + bridge + "-" + id;
  }

  String netnsPath(String id) {
    return "/var/run/netns/" + netns(id);
  }

  /** Host-side veth name, at most 15 characters: derived from a hash of bridge and id. */
  String hostVeth(String id) {
    return "bv" + hash(bridge + "/" + id);
  }

  /**
   * Makes the namespace of {@code id} exist with {@code ip} on eth0; recreates it when it is off.
   */
  void ensureInstance(String id, String ip) {
    if (nativeNet != null) {
      try {
        ensureNatively(id, ip);
        return;
      } catch (RuntimeException e) {
        fallbacks.incrementAndGet();
        log.warn("{}: native network set-up failed ({}); using ip instead", id, e.getMessage());
      }
    }
    ensureWithIp(id, ip);
  }

  private void ensureNatively(String id, String ip) {
    Path ns = Path.of(netnsPath(id));
    if (Files.exists(ns)) {
      if (nativeNet.intact(ns, hostVeth(id), ip)) {
        return;
      }
      nativeNet.remove(ns, hostVeth(id));
    }
    nativeNet.deleteLink(hostVeth(id));
    NetnsPool p = pool;
    if (p == null || !p.take(ns, hostVeth(id), ip)) {
      nativeNet.create(ns, hostVeth(id), ip);
    }
  }

  /**
   * Keeps {@code n} namespaces made ahead (natively only), so that a start takes a ready one
   * instead of making it; {@link #close()} removes those not taken.
   */
  void prepareAhead(int n) {
    if (nativeNet != null && pool == null && n > 0) {
      pool = NativeHost.get().map(p -> new NetnsPool(nativeNet, p.netns(), bridge, n)).orElse(null);
    }
  }

  /** How many namespaces are ready ahead now. */
  int readyAhead() {
    NetnsPool p = pool;
    return p == null ? 0 : p.ready();
  }

  /** Removes the namespaces made ahead and not taken; instances' namespaces stay. */
  void close() {
    NetnsPool p = pool;
    pool = null;
    if (p != null) {
      p.close();
    }
  }

  private void ensureWithIp(String id, String ip) {
    String ns = netns(id);
    if (Files.exists(Path.of(netnsPath(id)))) {
      Cmd.Result addr = Cmd.run("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", "eth0");
      if (addr.ok()
          && addr.output().contains(" " + ip + "/")
          && Cmd.run("ip", "link", "show", "dev", hostVeth(id)).ok()) {
        return;
      }
      removeInstance(id);
    }
    if (Files.exists(Path.of("/sys/class/net", hostVeth(id)))) {
      Cmd.run("ip", "link", "del", hostVeth(id));
    }
    // Two execs of ip instead of eleven: the host side in one batch, the namespace side in another.
    String host =
        "netns add "
            + ns
            + "\n"
            + "link add "
            + hostVeth(id)
            + " type veth peer name eth0 netns "
            + ns
            + "\n"
            + "link set dev "
            + hostVeth(id)
            + " master "
            + bridge
            + " up\n";
    String inside =
        "link set dev eth0 address "
            + macOf(ip)
            + "\n"
            + "addr add "
            + ip
            + "/"
            + subnet.prefix()
            + " dev eth0\n"
            + "link set eth0 up\n"
            + "link set lo up\n"
            + "route replace default via "
            + subnet.gateway()
            + "\n";
    try {
      Cmd.checkWithInput(host, "ip", "-batch", "-");
      Cmd.checkWithInput(inside, "ip", "-n", ns, "-batch", "-");
    } catch (RuntimeFailure e) {
      removeInstance(id);
      throw e;
    }
  }

  /**
   * How often the native path failed and {@code ip} stood in (each time logged with its reason).
   */
  int fallbacks() {
    return fallbacks.get();
  }

  /** Deletes the namespace (and with it the veth pair). Idempotent. */
  void removeInstance(String id) {
    if (nativeNet != null) {
      try {
        nativeNet.remove(Path.of(netnsPath(id)), hostVeth(id));
        return;
      } catch (RuntimeException e) {
        fallbacks.incrementAndGet();
        log.warn("{}: native network removal failed ({}); using ip instead", id, e.getMessage());
      }
    }
    Cmd.run("ip", "netns", "del", netns(id));
    Cmd.run("ip", "link", "del", hostVeth(id));
  }

  /** Deletes the bridge. Used by tests and uninstall; never while instances use it. */
  void removeBridge() {
    Cmd.run("ip", "link", "del", bridge);
  }

  /**
   * A MAC address derived from the IP (locally administered, {@code 02:42:} + the four IP bytes, as
   * Docker does), so that an IP that comes back on a new veth keeps its MAC and the host's
   * neighbour cache never points at a vanished interface.
   */
  static String macOf(String ip) {
    String[] b = ip.split("\\.");
    StringBuilder mac = new StringBuilder("02:42");
    for (String part : b) {
      mac.append(':').append(String.format("%02x", Integer.parseInt(part)));
    }
    return mac.toString();
  }

  static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
