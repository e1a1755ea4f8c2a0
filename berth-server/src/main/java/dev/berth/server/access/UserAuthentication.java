package dev.berth.server.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated Berth user, by API token or password. The principal is the {@link User}, so
 * {@code getName()} is the user name and {@code @AuthenticationPrincipal User user} works in
 * controllers; the only authority is the user's role ({@code ROLE_ADMIN}, ...). A token's id and
 * scope come along, so that {@link dev.berth.server.access.Access} can narrow the user's rights to
 * it.
 */
public final class UserAuthentication extends AbstractAuthenticationToken {
  private final User user;
  private final String tokenId;
  private final TokenScope scope;

  public UserAuthentication(User user) {
    this(user, null, null);
  }

  /**
   * @param tokenId the API token used, null for a password or identity-provider sign-in
   * @param scope the token's scope, null when unscoped
   */
  public UserAuthentication(User user, String tokenId, TokenScope scope) {
    super(List.of(new SimpleGrantedAuthority(user.role().authority())));
    this.user = user;
    this.tokenId = tokenId;
    this.scope = scope;
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

  public String tokenId() {
    return tokenId;
  }

  public TokenScope scope() {
    return scope;
  }
}
