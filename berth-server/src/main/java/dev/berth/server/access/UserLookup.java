package dev.berth.server.access;

import java.util.Optional;

/**
 * Finds a Berth user by name. Access control and teams look users up through this, so they need not
 * depend on the users feature, which implements it.
 */
public interface UserLookup {
  /**
   * The user with this name, or empty when there is none. Reads the database; safe from any thread.
   */
  Optional<User> find(String name);
}
