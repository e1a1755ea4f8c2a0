package dev.berth.oci.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that drops a share of the connections it carries: a dropped connection is
 * cut after a random number of bytes (0 to 64 KiB) from the upstream, mid-request or mid-response,
 * as a flaky network would. The choice is seeded, so a run is repeatable. {@link #close()} stops
 * accepting and closes every connection.
 */
public final class FaultyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Random random;
  private volatile double dropShare;
  /** Connections accepted so far. */
  public final AtomicLong connections = new AtomicLong();
  /** Connections cut on purpose so far. */
  public final AtomicLong dropped = new AtomicLong();

  private FaultyProxy(ServerSocket server, InetSocketAddress upstream, double dropShare, long seed) {
    this.server = server;
    this.upstream = upstream;
    this.dropShare = dropShare;
    this.random = new Random(seed);
  }

  /** Starts a proxy to {@code 127.0.0.1:upstreamPort} dropping {@code dropShare} (0..1) of connections. */
  public static FaultyProxy start(int upstreamPort, double dropShare, long seed) {
    try {
      ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
      FaultyProxy proxy = new FaultyProxy(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), dropShare, seed);
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
        long cutAfter;
        synchronized (random) {
          cutAfter = random.nextDouble() < dropShare ? random.nextInt(64 * 1024) : -1;
        }
        threads.execute(() -> carry(client, cutAfter));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void carry(Socket client, long cutAfter) {
    try (client; Socket up = new Socket()) {
      up.connect(upstream, 5000);
      if (cutAfter >= 0) {
        dropped.incrementAndGet();
      }
      threads.execute(() -> pipe(client, up, -1));
      pipe(up, client, cutAfter);
    } catch (IOException e) {
      // the peer went away
    }
  }

  /** Copies {@code from} to {@code to}; closes both after {@code limit} bytes when limit ≥ 0. */
  private static void pipe(Socket from, Socket to, long limit) {
    byte[] buf = new byte[16 * 1024];
    long sent = 0;
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (limit >= 0 && sent + n > limit) {
          out.write(buf, 0, (int) (limit - sent));
          from.setSoLinger(true, 0);
          to.setSoLinger(true, 0);
          from.close();
          to.close();
          return;
        }
        out.write(buf, 0, n);
        sent += n;
      }
    } catch (IOException e) {
      // closed by the other direction
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
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
