package dev.berth.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes everything read through it and, on reaching the end of the stream, compares with the
 * expected digest. A mismatch surfaces as an {@link ImageContentException} from the read that hit
 * the end, so a consumer never sees a clean end-of-stream for wrong bytes. Not thread-safe.
 */
public final class DigestVerifyingInputStream extends FilterInputStream {
  private final String expected;
  private final String what;
  private final MessageDigest sha256 = Digests.newSha256();
  private long size;
  private boolean verified;
  private ImageContentException mismatch;

  /**
   * @param what names the content in the error message, e.g. a blob and its repository
   */
  public DigestVerifyingInputStream(InputStream in, String expectedDigest, String what) {
    super(in);
    this.expected = Digests.requireSha256(expectedDigest);
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      verify();
    } else {
      sha256.update((byte) b);
      size++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n < 0) {
      verify();
    } else {
      sha256.update(buf, off, n);
      size += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  /** Bytes read so far. */
  public long size() {
    return size;
  }

  private void verify() {
    if (!verified) {
      verified = true;
      String actual = Digests.format(sha256.digest());
      if (!actual.equals(expected)) {
        mismatch =
            new ImageContentException(
                what
                    + " does not match its digest: expected "
                    + expected
                    + ", got "
                    + actual
                    + " ("
                    + size
                    + " bytes)");
      }
    }
    if (mismatch != null) {
      throw mismatch;
    }
  }
}
