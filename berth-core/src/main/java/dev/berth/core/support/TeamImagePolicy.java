package dev.berth.core.support;

import java.util.Optional;

/**
 * Whether the work of a team (an app, a task) may run an image: a team may not run the images of a
 * repository that belongs to another team. Implementations read the stored repository owners; they
 * are thread-safe and judge the team that will run the image, never the caller (an admin creating
 * an app in team A is held to team A's images).
 */
@FunctionalInterface
public interface TeamImagePolicy {
  /** A policy that allows every image (no repositories belong to teams). */
  TeamImagePolicy ANY = (image, team) -> Optional.empty();

  /**
   * Why work of {@code team} may not run {@code image}, with the fix; empty when it may (also for
   * references that do not parse, which the spec's own validation answers for).
   */
  Optional<String> refusal(String image, String team);

  /**
   * Adds an error at {@code field} when {@code image} is given, differs from {@code before} (the
   * image already in use, null for none) and {@code team} may not run it. An image already in use
   * stays allowed, so claiming a repository never breaks the apps that run it.
   */
  default void check(String image, String before, String team, String field, Errors errors) {
    if (image == null || image.isBlank() || image.equals(before)) {
      return;
    }
    refusal(image, team).ifPresent(why -> errors.add(field, why));
  }

  /** Like {@link #check}, throwing a {@link ValidationException} for the refusal. */
  default void require(String image, String before, String team, String field) {
    Errors errors = new Errors();
    check(image, before, team, field, errors);
    errors.throwIfAny();
  }
}
