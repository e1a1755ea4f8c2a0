package dev.berth.runtime.local;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few C library calls the local runtime makes without forking a tool: netlink sockets, {@code
 * mount(2)}, {@code umount2(2)}, {@code unshare(2)}, {@code setns(2)}, through the FFM API. Each
 * call returns its result or throws {@link Failed} with the call's name and {@code errno}. Loading
 * fails (and {@link #load()} throws) where the symbols or native access are missing; callers then
 * fall back to the command-line tools. Thread-safe; namespace calls affect the calling thread only.
 */
final class Libc {
  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int NETLINK_ROUTE = 0;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;
  static final long MS_BIND = 4096;
  static final long MS_REC = 16384;
  static final long MS_SHARED = 1 << 20;
  static final int MNT_DETACH = 2;
  static final int EINVAL = 22;
  static final int EBUSY = 16;
  static final int ENOENT = 2;
  static final int ENODEV = 19;

  /** A failed call: its name and errno. */
  static final class Failed extends RuntimeException {
    private final int errno;

    Failed(String call, int errno) {
      super(call + " failed: errno " + errno + " (" + errnoName(errno) + ")");
      this.errno = errno;
    }

    int errno() {
      return errno;
    }
  }

  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;

  private final MethodHandle socket;
  private final MethodHandle send;
  private final MethodHandle recv;
  private final MethodHandle close;
  private final MethodHandle open;
  private final MethodHandle mount;
  private final MethodHandle umount2;
  private final MethodHandle unshare;
  private final MethodHandle setns;
  private final MethodHandle gettid;

  private Libc() {
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    Linker.Option errno = Linker.Option.captureCallState("errno");
    this.socket = handle(linker, libc, "socket", FunctionDescriptor.of(INT, INT, INT, INT), errno);
    this.send =
        handle(linker, libc, "send", FunctionDescriptor.of(LONG, INT, ADDR, LONG, INT), errno);
    this.recv =
        handle(linker, libc, "recv", FunctionDescriptor.of(LONG, INT, ADDR, LONG, INT), errno);
    this.close = handle(linker, libc, "close", FunctionDescriptor.of(INT, INT), errno);
    this.open = handle(linker, libc, "open", FunctionDescriptor.of(INT, ADDR, INT), errno);
    this.mount =
        handle(
            linker, libc, "mount", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, LONG, ADDR), errno);
    this.umount2 = handle(linker, libc, "umount2", FunctionDescriptor.of(INT, ADDR, INT), errno);
    this.unshare = handle(linker, libc, "unshare", FunctionDescriptor.of(INT, INT), errno);
    this.setns = handle(linker, libc, "setns", FunctionDescriptor.of(INT, INT, INT), errno);
    this.gettid = handle(linker, libc, "gettid", FunctionDescriptor.of(INT), errno);
  }

  /**
   * Binds the calls.
   *
   * @throws RuntimeException (with the reason) when this JVM cannot call them
   */
  static Libc load() {
    return new Libc();
  }

  private static MethodHandle handle(
      Linker linker,
      SymbolLookup lookup,
      String name,
      FunctionDescriptor fd,
      Linker.Option option) {
    MemorySegment symbol =
        lookup
            .find(name)
            .orElseThrow(
                () -> new UnsupportedOperationException("no symbol " + name + " in the C library"));
    return linker.downcallHandle(symbol, fd, option);
  }

  /** A netlink route socket in the calling thread's network namespace. */
  int netlinkSocket() {
    return (int) call("socket", socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  }

  void send(int fd, byte[] message) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(message.length);
      buf.copyFrom(MemorySegment.ofArray(message));
      long sent = (long) call("send", send, fd, buf, (long) message.length, 0);
      if (sent != message.length) {
        throw new Failed("send (short write " + sent + " of " + message.length + ")", 0);
      }
    }
  }

  /** Reads one datagram (at most {@code max} bytes). */
  byte[] recv(int fd, int max) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(max);
      long n = (long) call("recv", recv, fd, buf, (long) max, 0);
      return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }
  }

  void close(int fd) {
    call("close", close, fd);
  }

  int open(String path) {
    try (Arena arena = Arena.ofConfined()) {
      return (int) call("open " + path, open, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
    }
  }

  /** {@code mount(source, target, type, flags, data)}; null strings are passed as NULL. */
  void mount(String source, String target, String type, long flags, String data) {
    try (Arena arena = Arena.ofConfined()) {
      call(
          "mount " + target,
          mount,
          str(arena, source),
          str(arena, target),
          str(arena, type),
          flags,
          str(arena, data));
    }
  }

  void umount2(String target, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      call("umount2 " + target, umount2, arena.allocateFrom(target), flags);
    }
  }

  void unshare(int flags) {
    call("unshare", unshare, flags);
  }

  void setns(int fd, int nstype) {
    call("setns", setns, fd, nstype);
  }

  int gettid() {
    return (int) call("gettid", gettid);
  }

  /** The symbolic name of the errno values these calls return. */
  static String errnoName(int errno) {
    return switch (errno) {
      case 1 -> "EPERM";
      case 2 -> "ENOENT";
      case 3 -> "ESRCH";
      case 13 -> "EACCES";
      case 16 -> "EBUSY";
      case 17 -> "EEXIST";
      case 19 -> "ENODEV";
      case 20 -> "ENOTDIR";
      case 22 -> "EINVAL";
      case 28 -> "ENOSPC";
      case 95 -> "EOPNOTSUPP";
      case 99 -> "EADDRNOTAVAIL";
      case 101 -> "ENETUNREACH";
      default -> "errno " + errno;
    };
  }

  private static MemorySegment str(Arena arena, String s) {
    return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
  }

  /** Invokes {@code h} with a fresh errno slot first; a negative result throws {@link Failed}. */
  private static Object call(String name, MethodHandle h, Object... args) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      Object[] full = new Object[args.length + 1];
      full[0] = state;
      System.arraycopy(args, 0, full, 1, args.length);
      Object result = h.invokeWithArguments(full);
      long value = result instanceof Integer i ? i : (Long) result;
      if (value < 0) {
        throw new Failed(name, (int) ERRNO.get(state, 0L));
      }
      return result;
    } catch (Failed e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native call " + name + " failed: " + t, t);
    }
  }
}
