package dev.berth.server.security;

import dev.berth.core.support.ConflictException;
import dev.berth.server.user.ExternalSignIn;
import dev.berth.server.user.Role;
import dev.berth.server.user.TeamGrant;
import dev.berth.server.user.Tokens;
import dev.berth.server.user.User;
import dev.berth.server.user.UserService;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * A stand-in for the team-aware {@link ExternalSignIn} of the permissions work, so that LDAP and
 * OpenID Connect sign-in run before it is merged: finds the user or creates them (admin or member,
 * with a random password nobody knows) and ignores the grants. <b>Replaced at merge:</b> the lead
 * deletes this class when the real implementation arrives.
 */
@Component
public class ProvisionalExternalSignIn implements ExternalSignIn {
  private final UserService users;

  public ProvisionalExternalSignIn(UserService users) {
    this.users = users;
  }

  @Override
  public User signIn(String source, String name, boolean admin, List<TeamGrant> grants) {
    return users.find(name).orElseGet(() -> {
      try {
        return users.create(name, Tokens.randomUrlSafe(32), admin ? Role.ADMIN : Role.MEMBER);
      } catch (ConflictException e) {
        return users.find(name).orElseThrow(() -> e);
      }
    });
  }
}
