package dev.berth.server.security.oidc;

import dev.berth.server.access.User;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/** A person signed in through OpenID Connect, with the Berth user their claims mapped to. */
final class BerthOidcUser extends DefaultOidcUser {
  private static final long serialVersionUID = 1L;
  private final User user;

  BerthOidcUser(User user, OidcUser oidc) {
    super(oidc.getAuthorities(), oidc.getIdToken(), oidc.getUserInfo(), "sub");
    this.user = user;
  }

  User user() {
    return user;
  }
}
