package dev.berth.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS server on a loopback port, asked with dnsjava's own client over UDP and TCP. Nothing is
 * sent off this machine: forwarding goes to a small resolver the test runs on loopback.
 */
class BerthDnsTest {
  /** App web of team shop serves on two addresses; its instance web-1 is not serving. */
  static final Map<String, List<String>> SERVING =
      Map.of("shop/web", List.of("10.88.0.2", "10.88.0.4"), "shop/web-0", List.of("10.88.0.2"));

  static final DnsAnswers.Lookup LOOKUP =
      (team, app, instance) -> {
        if (!team.equals("shop") || !app.equals("web")) {
          return Optional.empty();
        }
        if (instance == null) {
          return Optional.of(SERVING.get("shop/web"));
        }
        return Optional.ofNullable(SERVING.get("shop/" + instance));
      };

  BerthDns dns;
  DatagramSocket upstream;

  @AfterEach
  void stop() {
    if (dns != null) {
      dns.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  BerthDns start(List<String> upstreams) {
    dns =
        new BerthDns(
            new InetSocketAddress("127.0.0.1", 0), LOOKUP, Duration.ofSeconds(5), upstreams);
    assertThat(dns.start()).isTrue();
    return dns;
  }

  Message ask(String name, int type, boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(dns.address());
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(5));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  static List<String> addresses(Message m) {
    return m.getSection(Section.ANSWER).stream()
        .filter(ARecord.class::isInstance)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }

  @Test
  void anAppsNameGivesItsServingAddressesWithAShortTtl() throws Exception {
    start(List.of());
    for (boolean tcp : List.of(false, true)) {
      Message m = ask("web.shop.berth.", Type.A, tcp);
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(addresses(m)).containsExactlyInAnyOrder("10.88.0.2", "10.88.0.4");
      assertThat(m.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(5));
    }
  }

  @Test
  void anInstancesNameGivesItsOneAddressWhileItServes() throws Exception {
    start(List.of());
    assertThat(addresses(ask("WEB-0.web.shop.berth.", Type.A, false))).containsExactly("10.88.0.2");
    assertThat(ask("web-1.web.shop.berth.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void unknownBerthNamesDoNotExistAndOtherTypesAreEmpty() throws Exception {
    start(List.of());
    assertThat(ask("web.other.berth.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ask("shop.berth.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    Message aaaa = ask("web.shop.berth.", Type.AAAA, false);
    assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(aaaa.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void otherNamesAreNeverAnsweredWithABerthAddressAndRefusedWithoutUpstreams() throws Exception {
    start(List.of());
    Message m = ask("web.shop.example.", Type.A, false);
    assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(addresses(m)).isEmpty();
  }

  @Test
  void otherNamesGoToTheUpstreamResolver() throws Exception {
    upstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    Thread.ofVirtual().start(this::answerUpstream);
    start(List.of("127.0.0.1:" + upstream.getLocalPort()));

    Message m = ask("shop.example.", Type.A, false);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(addresses(m)).containsExactly("192.0.2.7");
  }

  /** A resolver for the test: every A question gets 192.0.2.7. */
  void answerUpstream() {
    try {
      while (true) {
        DatagramPacket p = new DatagramPacket(new byte[512], 512);
        upstream.receive(p);
        Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        Message reply = new Message(q.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.addRecord(q.getQuestion(), Section.QUESTION);
        reply.addRecord(
            new ARecord(
                q.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName("192.0.2.7")),
            Section.ANSWER);
        byte[] wire = reply.toWire();
        upstream.send(new DatagramPacket(wire, wire.length, p.getAddress(), p.getPort()));
      }
    } catch (Exception e) {
      // closed at the end of the test
    }
  }
}
