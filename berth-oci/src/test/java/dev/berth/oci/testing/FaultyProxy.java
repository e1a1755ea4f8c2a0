package dev.berth.oci.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that cuts a share of the HTTP requests it carries, on new and reused
 * connections alike (clients keep connections open, so cutting whole connections would spare most
 * requests). A request starts where a read from the client begins with a method and a path
 * (HTTP/1.1 clients do not pipeline); a chosen request's answer is cut after a random number of its
 * bytes (0 to 64 KiB, always before its end) and both sides of the connection are reset: the client
 * never sees the whole answer, and an upload may already be stored. The choice is seeded, so a run
 * is repeatable. {@link #close()} stops accepting and closes every connection.
 */
public final class FaultyProxy implements AutoCloseable {
  private static final List<String> METHODS =
      List.of("GET /", "HEAD /", "POST /", "PUT /", "PATCH /", "DELETE /");

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Random random;
  private volatile double dropShare;

  /** Connections accepted so far. */
  public final AtomicLong connections = new AtomicLong();

  /** Requests carried so far. */
  public final AtomicLong requests = new AtomicLong();

  /** Requests whose answer was cut on purpose so far. */
  public final AtomicLong dropped = new AtomicLong();

  /** The request in flight on one connection. */
  private static final class Exchange {
    volatile boolean head;
    volatile boolean cut;
  }

  private FaultyProxy(
      ServerSocket server, InetSocketAddress upstream, double dropShare, long seed) {
    this.server = server;
    this.upstream = upstream;
    this.dropShare = dropShare;
    this.random = new Random(seed);
  }

  /**
   * Starts a proxy to {@code 127.0.0.1:upstreamPort} cutting {@code dropShare} (0..1) of the
   * requests.
   */
  public static FaultyProxy start(int upstreamPort, double dropShare, long seed) {
    try {
      ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
      FaultyProxy proxy =
          new FaultyProxy(
              server,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort),
              dropShare,
              seed);
      proxy.threads.execute(proxy::acceptLoop);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the proxy", e);
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  public void dropShare(double share) {
    this.dropShare = share;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        threads.execute(() -> carry(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void carry(Socket client) {
    try (client;
        Socket up = new Socket()) {
      up.connect(upstream, 5000);
      Exchange exchange = new Exchange();
      threads.execute(() -> requests(client, up, exchange));
      answers(up, client, exchange);
    } catch (IOException e) {
      // the peer went away
    }
  }

  /** Client to upstream: notes where each request starts and whether its answer is to be cut. */
  private void requests(Socket client, Socket up, Exchange exchange) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = client.getInputStream();
        OutputStream out = up.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        String start = new String(buf, 0, Math.min(n, 8), StandardCharsets.ISO_8859_1);
        if (METHODS.stream().anyMatch(start::startsWith)) {
          requests.incrementAndGet();
          boolean cut;
          synchronized (random) {
            cut = random.nextDouble() < dropShare;
          }
          if (cut) {
            dropped.incrementAndGet();
          }
          exchange.head = start.startsWith("HEAD ");
          exchange.cut = cut;
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // closed by the other direction
    } finally {
      shutdownOutput(up);
    }
  }

  /** Upstream to client: passes answers on, and cuts a chosen one before its end. */
  private void answers(Socket up, Socket client, Exchange exchange) {
    byte[] buf = new byte[16 * 1024];
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    long limit = -1;
    try (InputStream in = up.getInputStream();
        OutputStream out = client.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (!exchange.cut) {
          out.write(buf, 0, n);
          continue;
        }
        pending.write(buf, 0, n);
        byte[] seen = pending.toByteArray();
        if (limit < 0) {
          int end = indexOf(seen, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          if (end < 0) {
            continue;
          }
          long total =
              end
                  + 4
                  + bodyLength(
                      new String(seen, 0, end, StandardCharsets.ISO_8859_1), exchange.head);
          synchronized (random) {
            limit = random.nextInt((int) Math.min(total, 64 * 1024)); // never the whole answer
          }
        }
        if (seen.length >= limit) {
          out.write(seen, 0, (int) limit);
          out.flush();
          for (Socket s : List.of(up, client)) {
            s.setSoLinger(true, 0);
            s.close();
          }
          return;
        }
      }
    } catch (IOException e) {
      // closed by the other direction
    } finally {
      shutdownOutput(client);
    }
  }

  /** The body length an answer's head announces (1 when it cannot tell, e.g. chunked). */
  private static long bodyLength(String head, boolean toHead) {
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    if (toHead || status < 200 || status == 204 || status == 304) {
      return 0;
    }
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return 1;
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void shutdownOutput(Socket s) {
    try {
      s.shutdownOutput();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    threads.shutdownNow();
  }
}
