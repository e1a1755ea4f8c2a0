package dev.berth.server.security;

import dev.berth.server.access.UserAuthentication;
import dev.berth.server.user.UserService;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * User name and password against the {@code users} table, for form login (the portal) and HTTP
 * basic should they be enabled. Being a bean, it also keeps Spring Boot from creating its default
 * in-memory user with a generated password.
 */
public class PasswordAuthenticationProvider implements AuthenticationProvider {
  private final UserService users;

  public PasswordAuthenticationProvider(UserService users) {
    this.users = users;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String name = authentication.getName();
    Object credentials = authentication.getCredentials();
    return users
        .checkPassword(name, credentials == null ? null : credentials.toString())
        .map(UserAuthentication::new)
        .orElseThrow(() -> new BadCredentialsException("wrong user name or password"));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
