package dev.berth.server.security;

import dev.berth.server.user.User;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated Berth user, by API token or password. The principal is the {@link User}, so
 * {@code getName()} is the user name and {@code @AuthenticationPrincipal User user} works in
 * controllers; the only authority is the user's role ({@code ROLE_ADMIN}, ...).
 */
public final class UserAuthentication extends AbstractAuthenticationToken {
  private final User user;

  public UserAuthentication(User user) {
    super(List.of(new SimpleGrantedAuthority(user.role().authority())));
    this.user = user;
    setAuthenticated(true);
  }

  @Override
  public User getPrincipal() {
    return user;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public String getName() {
    return user.name();
  }
}
