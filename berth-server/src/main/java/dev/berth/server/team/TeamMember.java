package dev.berth.server.team;

import dev.berth.server.access.TeamRole;

/**
 * One grant of a team role to a user. {@code source} is where it came from: {@code local} (given in
 * Berth) or an identity provider ({@code ldap}, {@code oidc}), which replaces its own grants at
 * each sign-in.
 */
public record TeamMember(String team, String user, TeamRole role, String source) {}
