package dev.berth.oci.layer;

import dev.berth.oci.Digests;
import dev.berth.oci.ImageContentException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies OCI/Docker layer tars to a directory, the way a union file system would see them stacked:
 * regular files, directories, symlinks and hardlinks with their modes (setuid, setgid and sticky
 * included), owners and modification times; {@code .wh.<name>} deletes {@code <name>} from lower
 * layers and {@code .wh..wh..opq} hides everything lower layers put in its directory. Device nodes
 * and FIFOs are skipped (logged at debug).
 *
 * <p>Safety: entries named with {@code ..} or an absolute path are refused; parent directories are
 * resolved inside the root like a chroot would (an absolute symlink points into the root), and any
 * symlink that would lead out of the root is refused. The last component of an entry is never
 * followed: whatever is there is removed (without following links) and replaced.
 *
 * <p>Gzip and uncompressed tars are detected by their magic; zstd and xz are refused with a clear
 * message. Stateless and thread-safe, but two layers must not be applied to the same directory at
 * the same time. Throws {@link ImageContentException} for refused or malformed content and {@link
 * UncheckedIOException} for I/O failures; a failed layer leaves the directory partly applied.
 */
public final class LayerUnpacker {
  private static final Logger log = LoggerFactory.getLogger(LayerUnpacker.class);
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int MAX_LINKS = 40;
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private volatile boolean chownWorks = true;

  /**
   * Applies one layer to {@code root} (which must exist) and reads the stream to its end.
   *
   * @return the digest of the uncompressed tar (the layer's {@code diff_id})
   */
  public String apply(InputStream layer, Path root) {
    Path base = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(base, NOFOLLOW)) {
      throw new IllegalArgumentException("layer target must be an existing directory: " + root);
    }
    try {
      BufferedInputStream in = new BufferedInputStream(layer, 1 << 16);
      InputStream tarBytes = decompress(in);
      MessageDigest sha256 = Digests.newSha256();
      DigestInputStream counted = new DigestInputStream(tarBytes, sha256);
      Apply state = new Apply(base);
      TarArchiveInputStream tar = new TarArchiveInputStream(counted);
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        state.entry(tar, entry);
      }
      counted.transferTo(OutputStream.nullOutputStream());
      state.finish();
      return Digests.format(sha256.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot apply layer to " + root + ": " + e.getMessage(), e);
    }
  }

  private static InputStream decompress(BufferedInputStream in) throws IOException {
    in.mark(8);
    byte[] magic = in.readNBytes(6);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (magic.length >= 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      throw new ImageContentException(
          "zstd-compressed layers are not supported yet; push the image with gzip layers");
    }
    if (magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z') {
      throw new ImageContentException("xz-compressed layers are not supported; use gzip");
    }
    return in;
  }

  /** The state of applying one layer. */
  private final class Apply {
    private final Path root;
    private final Set<Path> written = new HashSet<>();
    private final List<Path> dirs = new ArrayList<>();
    private final List<FileTime> dirTimes = new ArrayList<>();

    Apply(Path root) {
      this.root = root;
    }

    void entry(TarArchiveInputStream tar, TarArchiveEntry e) throws IOException {
      List<String> parts = components(e.getName());
      if (parts.isEmpty()) {
        return; // the root itself
      }
      String name = parts.getLast();
      Path parent = resolveDir(parts.subList(0, parts.size() - 1), e.getName());
      if (name.equals(OPAQUE)) {
        hideLower(parent);
        return;
      }
      if (name.startsWith(WHITEOUT)) {
        Path hidden = parent.resolve(name.substring(WHITEOUT.length()));
        if (!written.contains(hidden)) {
          deleteTree(hidden);
        }
        return;
      }
      Path p = parent.resolve(name);
      if (e.isDirectory()) {
        if (!Files.isDirectory(p, NOFOLLOW)) {
          deleteTree(p);
          Files.createDirectory(p);
        }
        owner(p, e);
        mode(p, e);
        dirs.add(p);
        dirTimes.add(FileTime.from(e.getLastModifiedTime().toInstant()));
      } else if (e.isSymbolicLink()) {
        deleteTree(p);
        Files.createSymbolicLink(p, Path.of(e.getLinkName()));
        owner(p, e);
        mtime(p, e);
      } else if (e.isLink()) {
        Path target = resolveExisting(e.getLinkName(), e.getName());
        deleteTree(p);
        Files.createLink(p, target);
      } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        log.debug("skipping device node or fifo {}", e.getName());
        return;
      } else if (e.isFile()) {
        deleteTree(p);
        try (OutputStream out =
            Files.newOutputStream(
                p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
          tar.transferTo(out);
        }
        owner(p, e);
        mode(p, e);
        mtime(p, e);
      } else {
        log.debug("skipping tar entry {} of type {}", e.getName(), (char) e.getLinkFlag());
        return;
      }
      for (Path q = p; q != null && q.startsWith(root) && written.add(q); q = q.getParent()) {
        // record the entry and its ancestors as written by this layer
      }
    }

    void finish() throws IOException {
      for (int i = dirs.size() - 1; i >= 0; i--) {
        Files.getFileAttributeView(dirs.get(i), BasicFileAttributeView.class, NOFOLLOW)
            .setTimes(dirTimes.get(i), null, null);
      }
    }

    /** Resolves directories inside the root like a chroot, creating missing ones. */
    private Path resolveDir(List<String> parts, String entryName) throws IOException {
      Deque<String> todo = new ArrayDeque<>(parts);
      Path current = root;
      int links = 0;
      while (!todo.isEmpty()) {
        String c = todo.pop();
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          if (current.equals(root)) {
            throw new ImageContentException(
                "layer entry '" + entryName + "' leads outside the root through a symlink");
          }
          current = current.getParent();
          continue;
        }
        Path next = current.resolve(c);
        if (Files.isSymbolicLink(next)) {
          if (++links > MAX_LINKS) {
            throw new ImageContentException(
                "too many symlinks resolving layer entry '" + entryName + "'");
          }
          String target = Files.readSymbolicLink(next).toString();
          if (target.startsWith("/")) {
            current = root;
          }
          String[] targetParts = target.split("/");
          for (int i = targetParts.length - 1; i >= 0; i--) {
            todo.push(targetParts[i]);
          }
          continue;
        }
        if (!Files.exists(next, NOFOLLOW)) {
          Files.createDirectory(next);
        } else if (!Files.isDirectory(next, NOFOLLOW)) {
          throw new ImageContentException(
              "layer entry '"
                  + entryName
                  + "' needs "
                  + root.relativize(next)
                  + " to be a directory");
        }
        current = next;
      }
      return current;
    }

    private Path resolveExisting(String linkName, String entryName) throws IOException {
      List<String> parts = components(linkName);
      if (parts.isEmpty()) {
        throw new ImageContentException("hardlink '" + entryName + "' has no target");
      }
      Path target =
          resolveDir(parts.subList(0, parts.size() - 1), entryName).resolve(parts.getLast());
      if (!Files.exists(target, NOFOLLOW) || Files.isDirectory(target, NOFOLLOW)) {
        throw new ImageContentException(
            "hardlink '"
                + entryName
                + "' points at '"
                + linkName
                + "', which is missing or a directory");
      }
      return target;
    }

    /** Deletes what lower layers put under {@code dir}, keeping what this layer wrote. */
    private void hideLower(Path dir) throws IOException {
      if (!Files.isDirectory(dir, NOFOLLOW)) {
        return;
      }
      List<Path> children;
      try (var list = Files.list(dir)) {
        children = list.toList();
      }
      for (Path child : children) {
        if (!written.contains(child)) {
          deleteTree(child);
        } else if (Files.isDirectory(child, NOFOLLOW)) {
          hideLower(child);
        }
      }
    }
  }

  /** Splits an entry name into components; refuses absolute names and {@code ..}. */
  static List<String> components(String name) {
    if (name.startsWith("/")) {
      throw new ImageContentException("layer entry '" + name + "' has an absolute path");
    }
    List<String> parts = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new ImageContentException("layer entry '" + name + "' contains '..'");
      }
      parts.add(c);
    }
    return parts;
  }

  private void owner(Path p, TarArchiveEntry e) throws IOException {
    if (!chownWorks) {
      return;
    }
    try {
      Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
      Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
    } catch (FileSystemException ex) {
      chownWorks = false;
      log.warn("cannot change file owners ({}); unpacking without ownership", ex.getMessage());
    }
  }

  private static void mode(Path p, TarArchiveEntry e) throws IOException {
    Files.setAttribute(p, "unix:mode", e.getMode() & 07777, NOFOLLOW);
  }

  private static void mtime(Path p, TarArchiveEntry e) throws IOException {
    try {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
          .setTimes(FileTime.from(e.getLastModifiedTime().toInstant()), null, null);
    } catch (IOException | UnsupportedOperationException ex) {
      log.debug("cannot set the time of {}: {}", p, ex.getMessage());
    }
  }

  /** Deletes a file, link or directory tree without following any symlink. */
  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, NOFOLLOW)) {
      return;
    }
    if (Files.isDirectory(p, NOFOLLOW)) {
      List<Path> children;
      try (var list = Files.list(p)) {
        children = list.toList();
      }
      for (Path child : children) {
        deleteTree(child);
      }
    }
    Files.delete(p);
  }
}
