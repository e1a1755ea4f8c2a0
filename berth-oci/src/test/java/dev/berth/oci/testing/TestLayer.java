package dev.berth.oci.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds a layer tar in memory, entry by entry in the order given, deterministically (fixed mtime,
 * owner root unless {@link #owner} says otherwise), so equal inputs give equal bytes and digests.
 * Names are written exactly as given (a leading {@code /} or {@code ..} is kept, to craft hostile
 * layers). Not thread-safe.
 *
 * <pre>{@code
 * byte[] tar = TestLayer.create().dir("etc", 0755).file("etc/motd", "hi", 0644)
 *     .whiteout("etc/old").opaque("var/cache").tar();
 * }</pre>
 */
public final class TestLayer {
  /** The mtime of every entry unless {@link #mtime} changes it: 2024-01-01T00:00:00Z. */
  public static final Instant DEFAULT_MTIME = Instant.parse("2024-01-01T00:00:00Z");

  private record Item(TarArchiveEntry entry, byte[] content) {}

  private final List<Item> items = new ArrayList<>();
  private Instant mtime = DEFAULT_MTIME;
  private int uid;
  private int gid;

  private TestLayer() {}

  public static TestLayer create() {
    return new TestLayer();
  }

  /** The mtime for the entries added after this call. */
  public TestLayer mtime(Instant time) {
    this.mtime = time;
    return this;
  }

  /** The owner for the entries added after this call. */
  public TestLayer owner(int newUid, int newGid) {
    this.uid = newUid;
    this.gid = newGid;
    return this;
  }

  public TestLayer dir(String path, int mode) {
    return add(entry(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR, mode), null);
  }

  public TestLayer file(String path, String content, int mode) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  public TestLayer file(String path, byte[] content, int mode) {
    return add(entry(path, TarConstants.LF_NORMAL, mode), content);
  }

  public TestLayer symlink(String path, String target) {
    TarArchiveEntry e = entry(path, TarConstants.LF_SYMLINK, 0777);
    e.setLinkName(target);
    return add(e, null);
  }

  public TestLayer hardlink(String path, String target) {
    TarArchiveEntry e = entry(path, TarConstants.LF_LINK, 0644);
    e.setLinkName(target);
    return add(e, null);
  }

  /** A FIFO entry (unpackers skip these). */
  public TestLayer fifo(String path) {
    return add(entry(path, TarConstants.LF_FIFO, 0644), null);
  }

  /** {@code <dir>/.wh.<name>}: deletes {@code path} from lower layers. */
  public TestLayer whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String dir = slash < 0 ? "" : path.substring(0, slash + 1);
    return file(dir + ".wh." + path.substring(slash + 1), new byte[0], 0644);
  }

  /** {@code <dir>/.wh..wh..opq}: hides what lower layers put in {@code dir}. */
  public TestLayer opaque(String dir) {
    return file((dir.isEmpty() ? "" : dir + "/") + ".wh..wh..opq", new byte[0], 0644);
  }

  /** The uncompressed tar. */
  public byte[] tar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Item item : items) {
        tar.putArchiveEntry(item.entry());
        if (item.content() != null) {
          tar.write(item.content());
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The tar, gzip-compressed (deterministic: the JDK writes no name or time in the header). */
  public byte[] tarGz() {
    return gzip(tar());
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(mode);
    e.setModTime(Date.from(mtime));
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setUserName("");
    e.setGroupName("");
    return e;
  }

  private TestLayer add(TarArchiveEntry e, byte[] content) {
    if (content != null) {
      e.setSize(content.length);
    }
    items.add(new Item(e, content));
    return this;
  }
}
