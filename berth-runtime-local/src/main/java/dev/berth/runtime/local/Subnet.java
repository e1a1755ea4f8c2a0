package dev.berth.runtime.local;

/** An IPv4 subnet in CIDR form; pure arithmetic, no I/O. */
record Subnet(int network, int prefix) {
  static Subnet parse(String cidr) {
    String[] parts = cidr.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("subnet must be CIDR like 10.88.0.0/16, was " + cidr);
    }
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException("subnet prefix must be within 8..30, was " + prefix);
    }
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    return new Subnet(toInt(parts[0]) & mask, prefix);
  }

  /** The bridge's address: the first host. */
  String gateway() {
    return toString(network + 1);
  }

  /** Host addresses available to instances, excluding the network, gateway and broadcast. */
  int hostCount() {
    return (1 << (32 - prefix)) - 3;
  }

  /** The {@code n}-th instance address (0-based): gateway + 1 + n. */
  String host(int n) {
    if (n < 0 || n >= hostCount()) {
      throw new IllegalArgumentException(
          "host index must be within 0.." + (hostCount() - 1) + ", was " + n);
    }
    return toString(network + 2 + n);
  }

  boolean contains(String ip) {
    int mask = -1 << (32 - prefix);
    return (toInt(ip) & mask) == network;
  }

  static int toInt(String ip) {
    String[] o = ip.trim().split("\\.");
    if (o.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    int v = 0;
    for (String s : o) {
      int b = Integer.parseInt(s);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      v = (v << 8) | b;
    }
    return v;
  }

  static String toString(int v) {
    return ((v >>> 24) & 255)
        + "."
        + ((v >>> 16) & 255)
        + "."
        + ((v >>> 8) & 255)
        + "."
        + (v & 255);
  }

  @Override
  public String toString() {
    return toString(network) + "/" + prefix;
  }
}
