package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The netlink requests byte by byte, as the kernel (and {@code ip monitor}) reads them. */
class RtnlRequestsTest {
  @BeforeEach
  void littleEndianHost() {
    assumeTrue(
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
        "the expected bytes are written for a little-endian host");
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void addsAnAddressLikeIpAddrAdd() {
    byte[] m = RtnlRequests.addAddress(7, 5, RtnlRequests.ipv4("10.0.0.2"), 24);
    assertThat(hex(m))
        .isEqualTo(
            "28000000"
                + "1400"
                + "0506"
                + "07000000"
                + "00000000" // nlmsghdr: 40 bytes, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 7
                + "02180000"
                + "05000000" // ifaddrmsg: AF_INET, /24, flags 0, scope universe, index 5
                + "08000200"
                + "0a000002" // IFA_LOCAL 10.0.0.2
                + "08000100"
                + "0a000002"); // IFA_ADDRESS 10.0.0.2
  }

  @Test
  void replacesTheDefaultRouteLikeIpRouteReplace() {
    byte[] m = RtnlRequests.replaceDefaultRoute(9, RtnlRequests.ipv4("10.0.0.1"), 5);
    assertThat(hex(m))
        .isEqualTo(
            "2c000000"
                + "1800"
                + "0505"
                + "09000000"
                + "00000000" // 44 bytes, RTM_NEWROUTE, REQUEST|ACK|REPLACE|CREATE
                + "02000000"
                + "fe030001"
                + "00000000" // rtmsg: AF_INET, dst /0, table main, proto boot, scope universe,
                // unicast
                + "08000500"
                + "0a000001" // RTA_GATEWAY
                + "08000400"
                + "05000000"); // RTA_OIF 5
  }

  @Test
  void setsALinkUpWithNameMacAndBridge() {
    byte[] m = RtnlRequests.setLink(3, 12, "bv1", RtnlRequests.mac("02:42:0a:00:00:02"), 4);
    assertThat(hex(m))
        .isEqualTo(
            "3c000000"
                + "1000"
                + "0500"
                + "03000000"
                + "00000000" // 60 bytes, RTM_NEWLINK, REQUEST|ACK
                + "0000"
                + "0000"
                + "0c000000"
                + "01000000"
                + "01000000" // ifinfomsg: index 12, flags UP, change UP
                + "08000300"
                + "62763100" // IFLA_IFNAME "bv1\0"
                + "0a000100"
                + "02420a000002"
                + "0000" // IFLA_ADDRESS, padded to 4
                + "08000a00"
                + "04000000"); // IFLA_MASTER 4
  }

  @Test
  void createsAVethPairWithItsPeerInsideTheNamespace() {
    byte[] m = RtnlRequests.newVeth(1, "bvabc", 3, "eth0", 42, null);
    NetlinkMessage.Reply msg = NetlinkMessage.parse(m).getFirst();
    assertThat(m.length % 4).isZero();
    assertThat(msg.type()).isEqualTo(RtnlRequests.RTM_NEWLINK);
    assertThat(hex(m).substring(8, 16))
        .as("type and flags: REQUEST|ACK|EXCL|CREATE")
        .isEqualTo("10000506");
    assertThat(hex(msg.body()).substring(16, 32)).as("host side up").isEqualTo("0100000001000000");
    List<NetlinkMessage.Attr> top = msg.attrs(16);
    assertThat(top)
        .extracting(NetlinkMessage.Attr::type)
        .containsExactly(
            RtnlRequests.IFLA_IFNAME, RtnlRequests.IFLA_MASTER, RtnlRequests.IFLA_LINKINFO);
    assertThat(text(top.get(0))).isEqualTo("bvabc\0");
    assertThat(hex(top.get(1).data())).isEqualTo("03000000");
    List<NetlinkMessage.Attr> info = nested(top.get(2), 0);
    assertThat(info)
        .extracting(NetlinkMessage.Attr::type)
        .containsExactly(RtnlRequests.IFLA_INFO_KIND, RtnlRequests.IFLA_INFO_DATA);
    assertThat(text(info.get(0))).isEqualTo("veth\0");
    List<NetlinkMessage.Attr> data = nested(info.get(1), 0);
    assertThat(data)
        .extracting(NetlinkMessage.Attr::type)
        .containsExactly(RtnlRequests.VETH_INFO_PEER);
    assertThat(hex(data.get(0).data()).substring(0, 32))
        .as("the peer's ifinfomsg")
        .isEqualTo("0".repeat(32));
    List<NetlinkMessage.Attr> peer = nested(data.get(0), 16);
    assertThat(peer)
        .extracting(NetlinkMessage.Attr::type)
        .containsExactly(RtnlRequests.IFLA_IFNAME, RtnlRequests.IFLA_NET_NS_FD);
    assertThat(text(peer.get(0))).isEqualTo("eth0\0");
    assertThat(hex(peer.get(1).data())).isEqualTo("2a000000");
  }

  @Test
  void aPooledVethStaysDownAndOffTheBridge() {
    byte[] m = RtnlRequests.newVeth(1, "bvpool", 0, "eth0", 42, null);
    NetlinkMessage.Reply msg = NetlinkMessage.parse(m).getFirst();
    assertThat(hex(msg.body()).substring(16, 32)).isEqualTo("0000000000000000");
    assertThat(msg.attrs(16))
        .extracting(NetlinkMessage.Attr::type)
        .doesNotContain(RtnlRequests.IFLA_MASTER);
  }

  @Test
  void readsAcknowledgementsErrorsAndSeveralMessagesOfOneDatagram() {
    byte[] datagram =
        HexFormat.of()
            .parseHex(
                "24000000"
                    + "0200"
                    + "0000"
                    + "05000000"
                    + "00000000"
                    + "efffffff"
                    + "0".repeat(32) // NLMSG_ERROR -17 (EEXIST) for seq 5
                    + "14000000"
                    + "0300"
                    + "0200"
                    + "06000000"
                    + "00000000"
                    + "00000000"); // NLMSG_DONE for seq 6
    List<NetlinkMessage.Reply> replies = NetlinkMessage.parse(datagram);
    assertThat(replies).hasSize(2);
    assertThat(replies.get(0).seq()).isEqualTo(5);
    assertThat(replies.get(0).error()).isEqualTo(-17);
    assertThat(replies.get(1).type()).isEqualTo(NetlinkMessage.NLMSG_DONE);
    assertThat(replies.get(1).error()).isZero();
  }

  @Test
  void overlayOptionsRefuseSeparatorsTheKernelWouldMisread() {
    assertThat(
            Mounts.overlayOptions(
                java.nio.file.Path.of("/i/rootfs"),
                java.nio.file.Path.of("/b/upper"),
                java.nio.file.Path.of("/b/work")))
        .isEqualTo("lowerdir=/i/rootfs,upperdir=/b/upper,workdir=/b/work");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Mounts.overlayOptions(
                    java.nio.file.Path.of("/a,b"),
                    java.nio.file.Path.of("/u"),
                    java.nio.file.Path.of("/w")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/a,b");
  }

  private static List<NetlinkMessage.Attr> nested(NetlinkMessage.Attr a, int header) {
    return new NetlinkMessage.Reply(0, 0, a.data()).attrs(header);
  }

  private static String text(NetlinkMessage.Attr a) {
    return new String(a.data(), StandardCharsets.US_ASCII);
  }
}
