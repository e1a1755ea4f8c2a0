package dev.berth.server.traffic;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * The local cluster's DNS server (dnsjava for every message): Berth's names ({@link DnsAnswers})
 * from discovery, every other name forwarded to the upstream resolvers (the host's), or refused
 * when forwarding is off. Listens on UDP and TCP at one address; each query is answered on its own
 * virtual thread. A socket that cannot be bound is logged and leaves containers with the names of
 * the host only; Berth runs on.
 */
public final class BerthDns implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BerthDns.class);
  private static final int MAX_UDP = 512;

  private final InetSocketAddress address;
  private final DnsAnswers.Lookup lookup;
  private final long ttlSeconds;
  private final Resolver upstream;
  private volatile DatagramSocket udp;
  private volatile ServerSocket tcp;

  /**
   * @param upstreams resolvers for other names ({@code host} or {@code host:port}); empty: refuse
   *     them
   */
  public BerthDns(
      InetSocketAddress address, DnsAnswers.Lookup lookup, Duration ttl, List<String> upstreams) {
    this.address = address;
    this.lookup = lookup;
    this.ttlSeconds = Math.max(0, ttl.toSeconds());
    this.upstream = upstreams.isEmpty() ? null : resolver(upstreams);
  }

  /** Binds and starts answering; false (and a warning) when the address cannot be bound. */
  public boolean start() {
    try {
      udp = new DatagramSocket(address);
      tcp = new ServerSocket();
      tcp.setReuseAddress(true);
      tcp.bind(new InetSocketAddress(address.getAddress(), udp.getLocalPort()));
    } catch (IOException e) {
      LOG.warn(
          "the DNS server cannot listen on {}: {}; containers resolve only the host's names",
          address,
          e.getMessage());
      close();
      return false;
    }
    Thread.ofVirtual().name("dns-udp").start(this::serveUdp);
    Thread.ofVirtual().name("dns-tcp").start(this::serveTcp);
    LOG.info(
        "DNS for <app>.<team>.berth on {} (udp, tcp); other names {}",
        address,
        upstream == null ? "refused" : "forwarded");
    return true;
  }

  /** The bound address (its port when 0 was asked for). */
  public InetSocketAddress address() {
    DatagramSocket s = udp;
    return s == null ? address : (InetSocketAddress) s.getLocalSocketAddress();
  }

  /** The answer to one query's bytes; null when they are not a DNS message. */
  byte[] handle(byte[] query) {
    Message m;
    try {
      m = new Message(query);
    } catch (IOException e) {
      return null;
    }
    if (m.getQuestion() == null) {
      return DnsAnswers.failure(m, Rcode.FORMERR).toWire();
    }
    if (DnsAnswers.isBerth(m.getQuestion().getName())) {
      return DnsAnswers.answer(m, lookup, ttlSeconds).toWire();
    }
    if (upstream == null) {
      return DnsAnswers.failure(m, Rcode.REFUSED).toWire();
    }
    try {
      Message reply = upstream.send(m);
      reply.getHeader().setID(m.getHeader().getID());
      return reply.toWire();
    } catch (IOException e) {
      return DnsAnswers.failure(m, Rcode.SERVFAIL).toWire();
    }
  }

  private void serveUdp() {
    DatagramSocket socket = udp;
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(new byte[MAX_UDP * 8], MAX_UDP * 8);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        continue; // closed: the loop ends; otherwise one bad packet
      }
      byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
      InetAddress from = packet.getAddress();
      int port = packet.getPort();
      Thread.ofVirtual()
          .start(
              () -> {
                byte[] reply = handle(query);
                if (reply == null) {
                  return;
                }
                if (reply.length > MAX_UDP) {
                  reply = truncated(reply);
                }
                try {
                  socket.send(new DatagramPacket(reply, reply.length, from, port));
                } catch (IOException e) {
                  // the client went away
                }
              });
    }
  }

  private static byte[] truncated(byte[] reply) {
    try {
      Message m = new Message(reply);
      return m.toWire(MAX_UDP);
    } catch (IOException e) {
      return reply;
    }
  }

  private void serveTcp() {
    ServerSocket server = tcp;
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> serveTcp(client));
      } catch (IOException e) {
        // closed: the loop ends
      }
    }
  }

  private void serveTcp(Socket client) {
    try (client) {
      client.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(client.getInputStream());
      DataOutputStream out = new DataOutputStream(client.getOutputStream());
      while (true) {
        int length = in.readUnsignedShort();
        byte[] reply = handle(in.readNBytes(length));
        if (reply == null) {
          return;
        }
        out.writeShort(reply.length);
        out.write(reply);
        out.flush();
      }
    } catch (IOException e) {
      // the client closed or went quiet
    }
  }

  private static Resolver resolver(List<String> upstreams) {
    Resolver[] resolvers =
        upstreams.stream().map(BerthDns::simple).flatMap(Optional::stream).toArray(Resolver[]::new);
    ExtendedResolver r = new ExtendedResolver(resolvers);
    r.setTimeout(Duration.ofSeconds(3));
    r.setRetries(1);
    return r;
  }

  private static Optional<Resolver> simple(String upstream) {
    try {
      int colon = upstream.lastIndexOf(':');
      boolean withPort = colon > 0 && upstream.indexOf(':') == colon;
      SimpleResolver r = new SimpleResolver(withPort ? upstream.substring(0, colon) : upstream);
      if (withPort) {
        r.setPort(Integer.parseInt(upstream.substring(colon + 1)));
      }
      r.setTimeout(Duration.ofSeconds(2));
      return Optional.of(r);
    } catch (IOException | NumberFormatException e) {
      LOG.warn("ignoring DNS upstream '{}': {}", upstream, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    DatagramSocket u = udp;
    if (u != null) {
      u.close();
    }
    ServerSocket t = tcp;
    if (t != null) {
      try {
        t.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
