package dev.berth.oci.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks an uploaded tar, tar.gz or zip (told apart by its first bytes, not its name) into a
 * staging directory and lists what it held, sorted by path, with each entry's permission bits.
 * Regular files and directories only: symlinks, hardlinks and devices are refused with the entry's
 * name, because image layers built here hold no links. Entry names are made relative; one that
 * would leave the directory ({@code ..}) is refused. The total unpacked size and the entry count
 * are bounded. Stateless and thread-safe; throws {@link BuildException} naming the archive and
 * entry.
 */
final class ArchiveUnpacker {
  /** One unpacked entry: its path relative to the archive root, its bytes on disk, its mode. */
  record Entry(String path, Path file, int mode, boolean directory) {}

  static final int MAX_ENTRIES = 100_000;
  private final long maxBytes;

  ArchiveUnpacker(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Unpacks {@code archive} (named {@code name} in messages) into the empty directory {@code into}.
   */
  List<Entry> unpack(String name, Path archive, Path into) throws IOException {
    ArchiveFormats.Format format =
        ArchiveFormats.sniff(archive)
            .orElseThrow(
                () ->
                    new BuildException("archive '" + name + "' is not a tar, tar.gz or zip file"));
    Map<String, Entry> entries = new TreeMap<>();
    long[] total = {0};
    if (format == ArchiveFormats.Format.ZIP) {
      try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
        Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder();
        while (all.hasMoreElements()) {
          ZipArchiveEntry e = all.nextElement();
          if (e.isUnixSymlink()) {
            throw refused(name, e.getName(), "a symlink");
          }
          int mode = e.getUnixMode() & 0777;
          try (InputStream in =
              e.isDirectory() ? InputStream.nullInputStream() : zip.getInputStream(e)) {
            put(
                name,
                e,
                mode == 0 ? (e.isDirectory() ? 0755 : 0644) : mode,
                in,
                into,
                entries,
                total);
          }
        }
      }
    } else {
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
          InputStream in =
              format == ArchiveFormats.Format.TAR_GZ
                  ? new GzipCompressorInputStream(raw, true)
                  : raw;
          TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          if (e.isSymbolicLink() || e.isLink()) {
            throw refused(name, e.getName(), e.isLink() ? "a hardlink" : "a symlink");
          }
          if (!e.isFile() && !e.isDirectory()) {
            throw refused(name, e.getName(), "a device, FIFO or other special file");
          }
          put(name, e, e.getMode() & 0777, tar, into, entries, total);
        }
      }
    }
    return List.copyOf(entries.values());
  }

  private void put(
      String name,
      ArchiveEntry e,
      int mode,
      InputStream in,
      Path into,
      Map<String, Entry> entries,
      long[] total)
      throws IOException {
    String path = relative(name, e.getName());
    if (path.isEmpty()) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      throw new BuildException("archive '" + name + "' has more than " + MAX_ENTRIES + " entries");
    }
    Path target = into.resolve(path);
    if (e.isDirectory()) {
      Files.createDirectories(target);
      entries.put(path, new Entry(path, target, mode, true));
      return;
    }
    Files.createDirectories(target.getParent());
    try (OutputStream out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        total[0] += n;
        if (total[0] > maxBytes) {
          throw new BuildException(
              "archive '"
                  + name
                  + "' unpacks to more than "
                  + maxBytes
                  + " bytes (berth.builds.max-unpacked-size)");
        }
        out.write(buffer, 0, n);
      }
    }
    entries.put(path, new Entry(path, target, mode, false));
  }

  private static String relative(String archive, String entryName) {
    List<String> parts = new ArrayList<>();
    for (String part : entryName.replace('\\', '/').split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..") || part.indexOf('\0') >= 0) {
        throw refused(archive, entryName, "a path leading out of the archive (..)");
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  private static BuildException refused(String archive, String entry, String what) {
    return new BuildException(
        "archive '"
            + archive
            + "': entry '"
            + entry
            + "' is "
            + what.toLowerCase(Locale.ROOT)
            + "; image layers built by Berth hold regular files and directories only");
  }
}
