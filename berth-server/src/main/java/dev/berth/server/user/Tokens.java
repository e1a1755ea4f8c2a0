package dev.berth.server.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API token secrets: {@code berth_} and 32 random bytes in URL-safe base64. They carry 256 bits of
 * entropy, so a plain SHA-256 is a safe way to store them (no salt or slow hash needed) and lets a
 * request's token be looked up by its hash.
 */
public final class Tokens {
  /** Every generated secret starts with this, so that scanners and people recognise it. */
  public static final String PREFIX = "berth_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  public static String generate() {
    return PREFIX + randomUrlSafe(32);
  }

  /** {@code bytes} random bytes in URL-safe base64 without padding. */
  public static String randomUrlSafe(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The lower-case hex SHA-256 of the secret, as stored in {@code api_tokens.token_hash}. */
  public static String hash(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
