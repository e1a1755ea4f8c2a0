package dev.berth.server.image;

import dev.berth.core.support.Errors;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which team owns a repository of one registry, decided from that registry's prefixes without I/O:
 * the longest matching prefix wins ({@code shop/payments/} over {@code shop/}). A repository no
 * prefix claims is shared: everyone may read it and any team's build may push to it.
 */
public record RepositoryOwners(List<RepositoryTeam> mappings) {
  /** One path segment as the distribution spec allows it, lower case. */
  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  public RepositoryOwners {
    mappings =
        mappings.stream()
            .sorted(Comparator.comparingInt((RepositoryTeam m) -> m.prefix().length()).reversed())
            .toList();
  }

  /** The mapping that owns {@code repository}, if any. */
  public Optional<RepositoryTeam> ownerOf(String repository) {
    return mappings.stream().filter(m -> matches(m.prefix(), repository)).findFirst();
  }

  /**
   * Whether a caller reading in {@code teams} (null: every team, as admins do) may see {@code
   * repository}.
   */
  public boolean visibleTo(String repository, Set<String> teams) {
    return teams == null || ownerOf(repository).map(m -> teams.contains(m.team())).orElse(true);
  }

  /**
   * Whether a build of {@code team} may push to {@code repository}, and an app or task of {@code
   * team} may run its images: the repository is the team's or unclaimed.
   */
  public boolean pushableBy(String repository, String team) {
    return ownerOf(repository).map(m -> m.team().equals(team)).orElse(true);
  }

  /** The prefixes of {@code team}, for messages. */
  public List<String> prefixesOf(String team) {
    return mappings.stream()
        .filter(m -> m.team().equals(team))
        .map(RepositoryTeam::prefix)
        .toList();
  }

  /** Whether {@code prefix} (normalised, ending in {@code /}) holds {@code repository}. */
  static boolean matches(String prefix, String repository) {
    return repository.startsWith(prefix)
        || repository.equals(prefix.substring(0, prefix.length() - 1));
  }

  /**
   * The stored form of a prefix as given: trimmed, lower case, ending in one {@code /} ({@code
   * shop} and {@code shop/} are the same prefix).
   */
  public static String normalize(String prefix) {
    String p = prefix == null ? "" : prefix.strip().toLowerCase(Locale.ROOT);
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p.endsWith("/") ? p : p + "/";
  }

  /** Checks a prefix as given: path segments of a repository name. */
  public static void validatePrefix(String prefix, Errors errors) {
    if (prefix == null || prefix.isBlank()) {
      errors.add("prefix", "is required, e.g. 'shop/' for the repositories under shop/");
      return;
    }
    String p = normalize(prefix);
    if (p.length() > 255) {
      errors.add("prefix", "must be at most 255 characters, was " + p.length());
      return;
    }
    for (String segment : p.substring(0, p.length() - 1).split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        errors.add(
            "prefix",
            "'"
                + prefix.strip()
                + "' is not a repository path: use lower-case letters, digits and . _ - between"
                + " slashes, e.g. 'shop/' or 'shop/payments/'");
        return;
      }
    }
  }
}
