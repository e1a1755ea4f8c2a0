package dev.berth.runtime.local;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A netlink route socket bound to the network namespace it was opened in: sends one request at a
 * time and reads its answer. Errors come back as {@link Libc.Failed} naming the operation and the
 * kernel's errno. One user at a time (callers own their socket); close it when done.
 */
final class Netlink implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;
  private final Libc libc;
  private final int fd;
  private int seq;

  Netlink(Libc libc, int fd) {
    this.libc = libc;
    this.fd = fd;
  }

  /** A socket in the calling thread's current network namespace. */
  static Netlink open(Libc libc) {
    return new Netlink(libc, libc.netlinkSocket());
  }

  /** Sends the request built for the next sequence number and waits for its acknowledgement. */
  void ack(String what, IntFunction<byte[]> request) {
    int s = ++seq;
    libc.send(fd, request.apply(s));
    while (true) {
      for (NetlinkMessage.Reply r : NetlinkMessage.parse(libc.recv(fd, BUFFER))) {
        if (r.seq() == s && r.type() == NetlinkMessage.NLMSG_ERROR) {
          check(what, r);
          return;
        }
      }
    }
  }

  /** Sends a request that is answered by one message (e.g. {@code RTM_GETLINK}); returns it. */
  NetlinkMessage.Reply get(String what, IntFunction<byte[]> request) {
    int s = ++seq;
    libc.send(fd, request.apply(s));
    while (true) {
      for (NetlinkMessage.Reply r : NetlinkMessage.parse(libc.recv(fd, BUFFER))) {
        if (r.seq() == s) {
          check(what, r);
          return r;
        }
      }
    }
  }

  /** Sends a dump request and collects its messages up to {@code NLMSG_DONE}. */
  List<NetlinkMessage.Reply> dump(String what, IntFunction<byte[]> request) {
    int s = ++seq;
    libc.send(fd, request.apply(s));
    List<NetlinkMessage.Reply> out = new ArrayList<>();
    while (true) {
      for (NetlinkMessage.Reply r : NetlinkMessage.parse(libc.recv(fd, BUFFER))) {
        if (r.seq() != s) {
          continue;
        }
        if (r.type() == NetlinkMessage.NLMSG_DONE) {
          return out;
        }
        check(what, r);
        out.add(r);
      }
    }
  }

  /** The index of the link {@code name}. */
  int linkIndex(String name) {
    return get("find link " + name, s -> RtnlRequests.getLink(s, name)).index();
  }

  private static void check(String what, NetlinkMessage.Reply r) {
    if (r.error() != 0) {
      throw new Libc.Failed("netlink: " + what, -r.error());
    }
  }

  @Override
  public void close() {
    libc.close(fd);
  }
}
