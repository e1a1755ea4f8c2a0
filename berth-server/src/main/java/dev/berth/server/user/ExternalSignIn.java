package dev.berth.server.user;

import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.User;
import java.util.List;

/**
 * Where a sign-in through an identity provider (LDAP, OpenID Connect) meets Berth's own users: the
 * provider has proved who the person is and which groups or claims they carry, mapped by
 * configuration to team grants; this records them.
 */
public interface ExternalSignIn {
  /**
   * Creates the user on first sign-in or updates them, and replaces the team grants that came from
   * this source with {@code grants} (grants given by hand in Berth stay). Idempotent.
   *
   * @param source the provider, {@code ldap} or {@code oidc}
   * @param name the Berth user name derived from the identity (a DNS-1123-safe form of uid or
   *     subject)
   * @param admin whether the provider's groups make this user a platform admin
   * @param grants team roles from the provider's groups or claims, possibly empty
   * @return the signed-in user, as later requests will see them
   */
  User signIn(String source, String name, boolean admin, List<TeamGrant> grants);
}
