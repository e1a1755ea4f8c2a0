package dev.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** {@code sha256:<hex>} digests: computing, validating and taking apart. Stateless, thread-safe. */
public final class Digests {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  /** A fresh SHA-256 {@link MessageDigest}. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** {@code sha256:<hex>} of the bytes. */
  public static String sha256(byte[] bytes) {
    return format(newSha256().digest(bytes));
  }

  /** {@code sha256:<hex>} of a finished digest. */
  public static String format(byte[] sha256) {
    return "sha256:" + HexFormat.of().formatHex(sha256);
  }

  /**
   * Checks the form {@code sha256:<64 lowercase hex>} and returns the digest.
   *
   * @throws IllegalArgumentException when it is anything else (other algorithms are not supported)
   */
  public static String requireSha256(String digest) {
    if (digest == null || !SHA256.matcher(digest).matches()) {
      throw new IllegalArgumentException(
          "digest must be sha256: followed by 64 lowercase hex digits, was '" + digest + "'");
    }
    return digest;
  }

  /** The 64 hex digits of a valid digest. */
  public static String hex(String digest) {
    return requireSha256(digest).substring("sha256:".length());
  }
}
