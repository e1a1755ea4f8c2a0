package dev.berth.oci.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells tar, tar.gz and zip archives apart by their first bytes (never by their name). Stateless.
 */
public final class ArchiveFormats {
  /** The archive formats a build unpacks. */
  public enum Format {
    TAR,
    TAR_GZ,
    ZIP
  }

  private ArchiveFormats() {}

  /**
   * The format of the archive starting at the stream's position (reads at most 512 bytes), if any.
   */
  public static Optional<Format> sniff(InputStream in) throws IOException {
    byte[] head = new byte[512];
    int n = in.readNBytes(head, 0, head.length);
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Optional.of(Format.TAR_GZ);
    }
    if (n >= 4
        && head[0] == 'P'
        && head[1] == 'K'
        && (head[2] == 3 || head[2] == 5)
        && (head[3] == 4 || head[3] == 6)) {
      return Optional.of(Format.ZIP);
    }
    if (n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
      return Optional.of(Format.TAR);
    }
    return Optional.empty();
  }

  /** The format of the archive in {@code file}, if any. */
  public static Optional<Format> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in);
    }
  }
}
