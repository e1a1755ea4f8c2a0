package dev.berth.runtime.local;

import static dev.berth.runtime.local.NetlinkMessage.NLM_F_ACK;
import static dev.berth.runtime.local.NetlinkMessage.NLM_F_CREATE;
import static dev.berth.runtime.local.NetlinkMessage.NLM_F_DUMP;
import static dev.berth.runtime.local.NetlinkMessage.NLM_F_EXCL;
import static dev.berth.runtime.local.NetlinkMessage.NLM_F_REPLACE;

/**
 * The rtnetlink requests the local runtime sends, as bytes: what {@code ip link add … type veth
 * peer … netns …}, {@code ip link set … up/master/name}, {@code ip addr add} and {@code ip route
 * replace default via} send. Pure functions of their arguments.
 */
final class RtnlRequests {
  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_NEWADDR = 20;
  static final int RTM_GETADDR = 22;
  static final int RTM_NEWROUTE = 24;
  static final int AF_UNSPEC = 0;
  static final int AF_INET = 2;
  static final int IFF_UP = 1;
  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MASTER = 10;
  static final int IFLA_LINKINFO = 18;
  static final int IFLA_NET_NS_FD = 28;
  static final int IFLA_INFO_KIND = 1;
  static final int IFLA_INFO_DATA = 2;
  static final int VETH_INFO_PEER = 1;
  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int RTA_OIF = 4;
  static final int RTA_GATEWAY = 5;
  static final int RT_TABLE_MAIN = 254;
  static final int RTPROT_BOOT = 3;
  static final int RT_SCOPE_UNIVERSE = 0;
  static final int RTN_UNICAST = 1;
  static final int NLA_F_NESTED = 0x8000;

  private RtnlRequests() {}

  /**
   * A veth pair: {@code host} (up, on the bridge {@code masterIndex}, or down and on no bridge when
   * it is 0) and its peer {@code peer} created right inside the namespace {@code peerNsFd}, with
   * MAC {@code peerMac} when not null, down.
   */
  static byte[] newVeth(
      int seq, String host, int masterIndex, String peer, int peerNsFd, byte[] peerMac) {
    NetlinkMessage m =
        NetlinkMessage.request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, seq)
            .ifinfo(AF_UNSPEC, 0, masterIndex > 0 ? IFF_UP : 0, masterIndex > 0 ? IFF_UP : 0)
            .attr(IFLA_IFNAME, host);
    if (masterIndex > 0) {
      m.attrInt(IFLA_MASTER, masterIndex);
    }
    int info = m.begin(IFLA_LINKINFO | NLA_F_NESTED);
    m.attr(IFLA_INFO_KIND, "veth");
    int data = m.begin(IFLA_INFO_DATA | NLA_F_NESTED);
    int peerAttr = m.begin(VETH_INFO_PEER | NLA_F_NESTED);
    m.raw(new byte[16]); // the peer's struct ifinfomsg: all zero
    m.attr(IFLA_IFNAME, peer).attrInt(IFLA_NET_NS_FD, peerNsFd);
    if (peerMac != null) {
      m.attr(IFLA_ADDRESS, peerMac);
    }
    return m.end(peerAttr).end(data).end(info).bytes();
  }

  /**
   * Changes the link {@code index}: a new name when not null, a MAC when not null, the bridge
   * {@code masterIndex} when positive, and up.
   */
  static byte[] setLink(int seq, int index, String newName, byte[] mac, int masterIndex) {
    NetlinkMessage m =
        NetlinkMessage.request(RTM_NEWLINK, NLM_F_ACK, seq)
            .ifinfo(AF_UNSPEC, index, IFF_UP, IFF_UP);
    if (newName != null) {
      m.attr(IFLA_IFNAME, newName);
    }
    if (mac != null) {
      m.attr(IFLA_ADDRESS, mac);
    }
    if (masterIndex > 0) {
      m.attrInt(IFLA_MASTER, masterIndex);
    }
    return m.bytes();
  }

  /** Looks a link up by name (the reply is an {@code RTM_NEWLINK} with its index). */
  static byte[] getLink(int seq, String name) {
    return NetlinkMessage.request(RTM_GETLINK, 0, seq)
        .ifinfo(AF_UNSPEC, 0, 0, 0)
        .attr(IFLA_IFNAME, name)
        .bytes();
  }

  static byte[] deleteLink(int seq, String name) {
    return NetlinkMessage.request(RTM_DELLINK, NLM_F_ACK, seq)
        .ifinfo(AF_UNSPEC, 0, 0, 0)
        .attr(IFLA_IFNAME, name)
        .bytes();
  }

  /** {@code ip addr add ADDR/PREFIX dev INDEX}. */
  static byte[] addAddress(int seq, int index, byte[] addr, int prefix) {
    return NetlinkMessage.request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, seq)
        .ifaddr(AF_INET, prefix, RT_SCOPE_UNIVERSE, index)
        .attr(IFA_LOCAL, addr)
        .attr(IFA_ADDRESS, addr)
        .bytes();
  }

  /** Every IPv4 address of the namespace (a dump). */
  static byte[] dumpAddresses(int seq) {
    return NetlinkMessage.request(RTM_GETADDR, NLM_F_DUMP, seq).ifaddr(AF_INET, 0, 0, 0).bytes();
  }

  /** {@code ip route replace default via GATEWAY dev INDEX}. */
  static byte[] replaceDefaultRoute(int seq, byte[] gateway, int index) {
    return NetlinkMessage.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK, seq)
        .rtmsg(AF_INET, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
        .attr(RTA_GATEWAY, gateway)
        .attrInt(RTA_OIF, index)
        .bytes();
  }

  /** Four bytes of a dotted IPv4 address. */
  static byte[] ipv4(String dotted) {
    String[] p = dotted.split("\\.");
    if (p.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(p[i]);
    }
    return b;
  }

  /** Six bytes of a colon-separated MAC address. */
  static byte[] mac(String colons) {
    String[] p = colons.split(":");
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) Integer.parseInt(p[i], 16);
    }
    return b;
  }
}
