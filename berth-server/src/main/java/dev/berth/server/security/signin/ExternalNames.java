package dev.berth.server.security.signin;

import dev.berth.server.user.Tokens;
import dev.berth.server.user.UserService;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Berth user names for people from an identity provider: the provider's name (an LDAP {@code uid},
 * an {@code preferred_username}, {@code email} or {@code sub} claim) made a DNS-1123 label, since
 * user names appear in URLs, labels and audit lines. Lower case; accents dropped; every run of
 * other characters becomes one {@code -} ({@code Alice.Smith@example.org} → {@code
 * alice-smith-example-org}); longer than 63 characters → cut, with 8 hex digits of the original's
 * SHA-256 so that two long names do not meet. The local administrator's name is refused, so that no
 * directory entry can take it over.
 */
public final class ExternalNames {
  private static final int MAX = 63;

  private ExternalNames() {}

  /** The Berth name, or empty when nothing usable is left or it is reserved. */
  public static Optional<String> of(String external) {
    if (external == null) {
      return Optional.empty();
    }
    String ascii = Normalizer.normalize(external, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String name =
        ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (name.length() > MAX) {
      String suffix = Tokens.hash(external).substring(0, 8);
      name = name.substring(0, MAX - 9).replaceAll("-+$", "") + "-" + suffix;
    }
    if (name.isEmpty() || name.equals(UserService.ADMIN)) {
      return Optional.empty();
    }
    return Optional.of(name);
  }
}
