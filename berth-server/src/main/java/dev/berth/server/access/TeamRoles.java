package dev.berth.server.access;

import java.util.Map;

/**
 * The role a user holds in each team. Access control reads it to build a caller's rights without
 * depending on the teams feature, whose store implements it.
 */
public interface TeamRoles {
  /** Team name to role for every team the user belongs to; empty when none. Reads the database. */
  Map<String, TeamRole> rolesOf(String user);
}
