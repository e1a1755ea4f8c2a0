package dev.berth.server.security.signin;

import dev.berth.core.support.Errors;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a person's groups at an identity provider into Berth team grants and platform admin, by the
 * configured {@link GroupMapping}s and admin groups. A person in several groups that map to one
 * team gets the strongest of their roles there. Pure and thread-safe.
 */
public final class GrantMapper {
  /** The outcome: whether the person is a platform admin, and their team grants, sorted by team. */
  public record Grants(boolean admin, List<TeamGrant> grants) {}

  private record Line(String group, String team, TeamRole role) {}

  private final List<Line> lines;
  private final Set<String> adminGroups;

  /**
   * @param prefix the settings' prefix for error messages, e.g. {@code berth.security.ldap}
   * @throws dev.berth.core.support.ValidationException when a line names no group, a team that is
   *     no DNS label or an unknown role
   */
  public GrantMapper(String prefix, List<GroupMapping> mappings, List<String> adminGroups) {
    Errors errors = new Errors();
    List<Line> parsed = new ArrayList<>();
    for (int i = 0; i < mappings.size(); i++) {
      GroupMapping m = mappings.get(i);
      String at = prefix + ".group-mappings[" + i + "]";
      errors.check(
          m.group() != null && !m.group().isBlank(),
          at + ".group",
          "is required: the group's DN, name or claim value");
      errors.dnsLabel(m.team(), at + ".team", 63);
      TeamRole role = parseRole(m.role());
      errors.check(
          role != null, at + ".role", "must be owner, developer or viewer, was '" + m.role() + "'");
      if (m.group() != null && role != null) {
        parsed.add(new Line(normalize(m.group()), m.team(), role));
      }
    }
    errors.throwIfAny();
    this.lines = List.copyOf(parsed);
    this.adminGroups =
        adminGroups.stream().map(GrantMapper::normalize).collect(Collectors.toUnmodifiableSet());
  }

  public boolean isEmpty() {
    return lines.isEmpty() && adminGroups.isEmpty();
  }

  /**
   * The grants for a person in these groups (names in any case; LDAP DNs with or without spaces).
   */
  public Grants map(Collection<String> groups) {
    Set<String> mine = groups.stream().map(GrantMapper::normalize).collect(Collectors.toSet());
    Map<String, TeamRole> byTeam = new LinkedHashMap<>();
    for (Line line : lines) {
      if (mine.contains(line.group())) {
        byTeam.merge(line.team(), line.role(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
    List<TeamGrant> grants =
        byTeam.entrySet().stream()
            .map(e -> new TeamGrant(e.getKey(), e.getValue()))
            .sorted(java.util.Comparator.comparing(TeamGrant::team))
            .toList();
    boolean admin = mine.stream().anyMatch(adminGroups::contains);
    return new Grants(admin, grants);
  }

  private static TeamRole parseRole(String text) {
    try {
      return text == null ? null : TeamRole.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String normalize(String group) {
    return group
        .strip()
        .replaceAll("\\s*,\\s*", ",")
        .replaceAll("\\s*=\\s*", "=")
        .toLowerCase(Locale.ROOT);
  }
}
