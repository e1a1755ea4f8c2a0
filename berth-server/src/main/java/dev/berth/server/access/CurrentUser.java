package dev.berth.server.access;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The user of the current request, for code that has no {@code Authentication} parameter at hand
 * (services recording who did something). Controllers can instead take {@code Authentication},
 * {@code Principal} or {@code @AuthenticationPrincipal User}.
 */
public final class CurrentUser {
  private CurrentUser() {}

  public static Optional<User> get() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth != null && auth.getPrincipal() instanceof User user
        ? Optional.of(user)
        : Optional.empty();
  }

  /** The current user's name, or {@code system} outside a request (controllers, schedules). */
  public static String name() {
    return get().map(User::name).orElse("system");
  }
}
