package dev.berth.server.support.crypto;

import dev.berth.core.support.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (cluster credentials) with AES-GCM: a fresh 96-bit nonce per value, the
 * value's purpose as associated data, stored as {@code v1:<base64(nonce || ciphertext+tag)>}. The
 * key comes from the {@code berth.secret-key} setting (base64, 16/24/32 bytes) or from {@code
 * secret.key} in the data directory, generated on first use with mode 0600.
 */
public final class SecretBox {
  /** What every sealed value starts with. */
  public static final String PREFIX = "v1:";

  private static final int NONCE = 12;
  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  SecretBox(byte[] key) {
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException(
          "berth.secret-key must be 16, 24 or 32 bytes (base64), was " + key.length + " bytes");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The configured key, or the data directory's key file (made on first use, mode 0600). */
  public static SecretBox of(String configuredKey, Path dataDir) {
    if (configuredKey != null && !configuredKey.isBlank()) {
      try {
        return new SecretBox(Base64.getDecoder().decode(configuredKey.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "berth.secret-key must be base64 of 16, 24 or 32 random bytes (e.g. openssl rand -base64 32): "
                + e.getMessage(),
            e);
      }
    }
    Path file = dataDir.resolve("secret.key");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(dataDir);
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
        } catch (FileAlreadyExistsException raced) {
          // another start made it first; read theirs
        }
      }
      return new SecretBox(Base64.getDecoder().decode(Files.readString(file).strip()));
    } catch (IOException e) {
      throw new BerthException(
          "cannot read or create the secret key " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code value} looks sealed (as opposed to plain text stored by an older version). */
  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /**
   * Seals {@code plain}; {@code purpose} (e.g. "kubeconfig of cluster eu") is bound to the result,
   * so that a sealed value copied to another row does not open there.
   */
  public String seal(String plain, String purpose) {
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE);
      System.arraycopy(sealed, 0, out, NONCE, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new BerthException("cannot encrypt " + purpose + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens a value sealed for the same {@code purpose}; throws when the key or the purpose differ.
   */
  public String open(String sealed, String purpose) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new BerthException(purpose + " is not sealed by this server");
    }
    try {
      byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE));
      c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new BerthException(
          "cannot decrypt "
              + purpose
              + ": wrong berth.secret-key or secret.key, or the value was altered",
          e);
    }
  }
}
