package dev.berth.server.image;

import java.time.Instant;

/**
 * A registry as stored: {@code host} is the {@code host[:port]} of {@code url} (what image
 * references name), {@code sealedPassword} is sealed by {@link
 * dev.berth.server.support.crypto.SecretBox} and never leaves the server.
 */
record RegistryRecord(
    String name,
    String url,
    String host,
    String username,
    String sealedPassword,
    String createdBy,
    Instant createdAt) {
  /** Whether the registry is spoken to over plain HTTP. */
  boolean plainHttp() {
    return url.startsWith("http://");
  }

  /** Never the password, not even sealed. */
  @Override
  public String toString() {
    return "RegistryRecord[" + name + ", " + url + ", user " + username + "]";
  }
}
