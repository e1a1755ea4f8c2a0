package dev.berth.oci.blob;

import dev.berth.oci.DigestVerifyingInputStream;
import dev.berth.oci.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Content-addressed blobs on disk at {@code <root>/blobs/sha256/<hex>}. A blob is written to a temp
 * file in the same file system, its digest verified, and only then moved into place atomically, so
 * a path that exists always holds exactly the bytes its name promises.
 *
 * <p>Thread-safe and safe across processes sharing the directory: concurrent puts of the same
 * digest each write their own temp file and the last atomic move wins with identical content.
 *
 * <p>I/O failures surface as {@link UncheckedIOException}; a digest mismatch as {@link
 * dev.berth.oci.ImageContentException}; a malformed digest as {@link IllegalArgumentException}.
 */
public final class BlobStore {
  private final Path blobs;
  private final Path tmp;

  public BlobStore(Path root) {
    this.blobs = root.resolve("blobs").resolve("sha256");
    this.tmp = root.resolve("blobs").resolve("tmp");
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the blob store under " + root, e);
    }
  }

  /** Whether the blob is stored. */
  public boolean has(String digest) {
    return Files.isRegularFile(path(digest));
  }

  /** Where the blob is (or would be) stored; does not check that it exists. */
  public Path path(String digest) {
    return blobs.resolve(Digests.hex(digest));
  }

  /** Opens a stored blob, if present. The caller closes the stream. */
  public Optional<InputStream> open(String digest) {
    try {
      return Optional.of(Files.newInputStream(path(digest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob " + digest, e);
    }
  }

  /** Size in bytes of a stored blob, if present. */
  public Optional<Long> size(String digest) {
    try {
      return Optional.of(Files.size(path(digest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat blob " + digest, e);
    }
  }

  /**
   * Stores the stream's bytes under {@code expectedDigest} after verifying them; the stream is read
   * to its end but not closed. Nothing is left behind when the digest does not match or reading
   * fails.
   *
   * @return the blob's path
   * @throws dev.berth.oci.ImageContentException the bytes do not match the digest
   */
  public Path put(InputStream content, String expectedDigest) {
    Path target = path(expectedDigest);
    Path temp = null;
    try {
      temp = Files.createTempFile(tmp, Digests.hex(expectedDigest).substring(0, 12) + "-", ".part");
      try (OutputStream out = Files.newOutputStream(temp)) {
        var verifying =
            new DigestVerifyingInputStream(content, expectedDigest, "blob " + expectedDigest);
        verifying.transferTo(out);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store blob " + expectedDigest, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: a stray temp file is harmless and removed by clearTemp
        }
      }
    }
  }

  /** Stores bytes whose digest is computed here; returns the digest. */
  public String put(byte[] content) {
    String digest = Digests.sha256(content);
    put(new java.io.ByteArrayInputStream(content), digest);
    return digest;
  }

  /** Deletes temp files left by a crash; call only when no put is running against this root. */
  public void clearTemp() {
    try (var files = Files.list(tmp)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + tmp, e);
    }
  }
}
