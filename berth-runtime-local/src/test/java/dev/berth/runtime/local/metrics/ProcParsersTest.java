package dev.berth.runtime.local.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The /proc parsers on file contents captured from a Debian 12 host (kernel 6.1). */
class ProcParsersTest {
  static final String STAT =
      """
      cpu  1228784 9026 193101 1552756 4506 0 4792 1757 0 0
      cpu0 612363 4590 93139 783526 1113 0 1627 853 0 0
      cpu1 616421 4436 99962 769229 3392 0 3164 903 0 0
      intr 183654023 0 9 0 0
      ctxt 364040712
      """;

  static final String MEMINFO =
      """
      MemTotal:       24683664 kB
      MemFree:        20067364 kB
      MemAvailable:   23751320 kB
      Buffers:           93404 kB
      Cached:          3478220 kB
      HugePages_Total:       0
      """;

  static final String SOCKSTAT =
      """
      sockets: used 16
      TCP: inuse 1 orphan 0 tw 69 alloc 1 mem 0
      UDP: inuse 0 mem 0
      """;

  static final String SNMP =
      """
      Ip: Forwarding DefaultTTL InReceives
      Ip: 1 64 3656131
      Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
      Tcp: 1 200 120000 -1 32767 20604 7915 3885 0 3658522 3633108 1172 0 11451 0
      Udp: InDatagrams NoPorts
      Udp: 10 2
      """;

  static final String NET_DEV =
      """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
          lo: 2752095269 3520929    0    0    0     0          0         0 2752095269 3520929    0    0    0     0       0          0
        eth0: 123456 100 0 0 0 0 0 0 654321 90 0 0 0 0 0 0
      """;

  static final String MOUNTS =
      """
      /dev/vda / ext4 rw,relatime,discard 0 0
      proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
      /dev/vda /run/netns ext4 rw,relatime,discard 0 0
      /dev/vdb /srv/my\\040data xfs rw,relatime 0 0
      overlay /var/lib/berth/x overlay rw,lowerdir=/a 0 0
      tmpfs /run tmpfs rw 0 0
      """;

  @Test
  void cpuSecondsAreTheAggregateLineInUserHz() {
    var cpu = ProcParsers.cpuSeconds(STAT);
    assertThat(cpu.get("user")).isCloseTo(12287.84, within(1e-6));
    assertThat(cpu.get("idle")).isCloseTo(15527.56, within(1e-6));
    assertThat(cpu.get("steal")).isCloseTo(17.57, within(1e-6));
    assertThat(cpu)
        .containsOnlyKeys("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal");
    assertThat(ProcParsers.cpuCount(STAT)).isEqualTo(2);
  }

  @Test
  void meminfoIsInBytes() {
    var m = ProcParsers.meminfo(MEMINFO);
    assertThat(m.get("MemTotal")).isEqualTo(24683664.0 * 1024);
    assertThat(m.get("MemAvailable")).isEqualTo(23751320.0 * 1024);
    assertThat(m.get("HugePages_Total")).isEqualTo(0.0);
  }

  @Test
  void loadavgGivesTheLoadsAndTheHostsThreadCount() {
    var l = ProcParsers.loadavg("5.04 3.42 2.48 8/149 15938\n").orElseThrow();
    assertThat(l.load1()).isEqualTo(5.04);
    assertThat(l.load15()).isEqualTo(2.48);
    assertThat(l.threads()).isEqualTo(149);
    assertThat(ProcParsers.loadavg("garbage")).isEmpty();
  }

  @Test
  void sockstatGivesTcpSocketsByState() {
    var t = ProcParsers.sockstatTcp(SOCKSTAT);
    assertThat(t)
        .containsEntry("inuse", 1.0)
        .containsEntry("tw", 69.0)
        .containsEntry("orphan", 0.0);
  }

  @Test
  void snmpPairsTheTcpHeaderWithItsValues() {
    var t = ProcParsers.snmpTcp(SNMP);
    assertThat(t.get("RetransSegs")).isEqualTo(1172.0);
    assertThat(t.get("OutSegs")).isEqualTo(3633108.0);
    assertThat(t.get("MaxConn")).isEqualTo(-1.0);
    assertThat(ProcParsers.snmpTcp("Ip: a\nIp: 1\n")).isEmpty();
  }

  @Test
  void netDevGivesBytesPerDevice() {
    assertThat(ProcParsers.netDev(NET_DEV))
        .containsExactly(
            new ProcParsers.NetDev("lo", 2752095269.0, 2752095269.0),
            new ProcParsers.NetDev("eth0", 123456, 654321));
  }

  @Test
  void diskMountsAreOnePerDeviceWithoutPseudoOrOverlayFilesystems() {
    assertThat(ProcParsers.diskMounts(MOUNTS))
        .containsExactly(
            new ProcParsers.Mount("/dev/vda", "/", "ext4"),
            new ProcParsers.Mount("/dev/vdb", "/srv/my data", "xfs"));
  }

  @Test
  void singleNumberFilesTolerateTheirNewline() {
    assertThat(ProcParsers.single("262144\n")).contains(262144.0);
    assertThat(ProcParsers.single("")).isEmpty();
  }
}
