package dev.berth.runtime.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One netlink message as bytes: the 16-byte {@code nlmsghdr}, a fixed family header ({@code
 * ifinfomsg}, {@code ifaddrmsg} or {@code rtmsg}) and attributes ({@code rtattr}, nested ones too),
 * each padded to 4 bytes, in the host's byte order. A pure builder (no I/O), so the encoding is
 * tested without privileges; also reads replies ({@link Reply}).
 */
final class NetlinkMessage {
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;
  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP = 0x300;
  static final int NLM_F_REPLACE = 0x100;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;
  static final int HEADER = 16;

  private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

  private NetlinkMessage(int type, int flags, int seq) {
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
  }

  /**
   * A request of {@code type} ({@code RTM_*}) with {@code flags} ({@code NLM_F_REQUEST} is added).
   */
  static NetlinkMessage request(int type, int flags, int seq) {
    return new NetlinkMessage(type, flags | NLM_F_REQUEST, seq);
  }

  /** {@code struct ifinfomsg}: family, type 0, index, flags, change mask. */
  NetlinkMessage ifinfo(int family, int index, int flags, int change) {
    room(16);
    buf.put((byte) family)
        .put((byte) 0)
        .putShort((short) 0)
        .putInt(index)
        .putInt(flags)
        .putInt(change);
    return this;
  }

  /** {@code struct ifaddrmsg}: family, prefix length, flags, scope, index. */
  NetlinkMessage ifaddr(int family, int prefixLen, int scope, int index) {
    room(8);
    buf.put((byte) family).put((byte) prefixLen).put((byte) 0).put((byte) scope).putInt(index);
    return this;
  }

  /** {@code struct rtmsg}: family, destination length, table, protocol, scope, route type. */
  NetlinkMessage rtmsg(int family, int dstLen, int table, int protocol, int scope, int type) {
    room(12);
    buf.put((byte) family)
        .put((byte) dstLen)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) table)
        .put((byte) protocol)
        .put((byte) scope)
        .put((byte) type)
        .putInt(0);
    return this;
  }

  NetlinkMessage attr(int type, byte[] data) {
    room(4 + data.length + 3);
    buf.putShort((short) (4 + data.length)).putShort((short) type).put(data);
    pad();
    return this;
  }

  /** A NUL-terminated string attribute (names, kinds). */
  NetlinkMessage attr(int type, String value) {
    byte[] s = value.getBytes(StandardCharsets.US_ASCII);
    return attr(type, Arrays.copyOf(s, s.length + 1));
  }

  NetlinkMessage attrInt(int type, int value) {
    return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
  }

  /** Opens a nested attribute; close it with {@link #end(int)}. */
  int begin(int type) {
    room(4);
    int at = buf.position();
    buf.putShort((short) 0).putShort((short) type);
    return at;
  }

  NetlinkMessage end(int at) {
    buf.putShort(at, (short) (buf.position() - at));
    return this;
  }

  /** Appends raw bytes (a nested family header such as a veth peer's {@code ifinfomsg}). */
  NetlinkMessage raw(byte[] data) {
    room(data.length);
    buf.put(data);
    return this;
  }

  /** The finished message with its length filled in. */
  byte[] bytes() {
    buf.putInt(0, buf.position());
    return Arrays.copyOf(buf.array(), buf.position());
  }

  private void pad() {
    while (buf.position() % 4 != 0) {
      buf.put((byte) 0);
    }
  }

  private void room(int n) {
    if (buf.remaining() < n) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
              .order(ByteOrder.nativeOrder());
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
  }

  /**
   * One message of a reply datagram: its type, its body after the 16-byte header and, for {@code
   * NLMSG_ERROR}, the error (0 is an acknowledgement, else a negative errno).
   */
  record Reply(int type, int seq, byte[] body) {
    int error() {
      return type == NLMSG_ERROR
          ? ByteBuffer.wrap(body).order(ByteOrder.nativeOrder()).getInt(0)
          : 0;
    }

    /** The attributes after a family header of {@code headerLen} bytes: type → payload. */
    List<Attr> attrs(int headerLen) {
      List<Attr> out = new ArrayList<>();
      ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
      int at = headerLen;
      while (at + 4 <= body.length) {
        int len = Short.toUnsignedInt(b.getShort(at));
        int type = Short.toUnsignedInt(b.getShort(at + 2)) & 0x3fff;
        if (len < 4 || at + len > body.length) {
          break;
        }
        out.add(new Attr(type, Arrays.copyOfRange(body, at + 4, at + len)));
        at += (len + 3) & ~3;
      }
      return out;
    }

    /**
     * The interface index of an {@code ifinfomsg} (offset 4) or {@code ifaddrmsg} (offset 4) body.
     */
    int index() {
      return ByteBuffer.wrap(body).order(ByteOrder.nativeOrder()).getInt(4);
    }
  }

  record Attr(int type, byte[] data) {}

  /** Splits a datagram into its messages. */
  static List<Reply> parse(byte[] datagram) {
    List<Reply> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    int at = 0;
    while (at + HEADER <= datagram.length) {
      int len = b.getInt(at);
      if (len < HEADER || at + len > datagram.length) {
        break;
      }
      int type = Short.toUnsignedInt(b.getShort(at + 4));
      int seq = b.getInt(at + 8);
      out.add(new Reply(type, seq, Arrays.copyOfRange(datagram, at + HEADER, at + len)));
      at += (len + 3) & ~3;
    }
    return out;
  }
}
