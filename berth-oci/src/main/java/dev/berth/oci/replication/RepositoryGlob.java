package dev.berth.oci.replication;

import java.util.regex.Pattern;

/**
 * A repository filter: {@code *} matches within one path segment, {@code **} across segments,
 * {@code ?} one character; everything else literally. {@code team-a/*} matches {@code team-a/web}
 * but not {@code team-a/tools/ci}; {@code **} matches every repository. Immutable.
 */
public record RepositoryGlob(String glob, Pattern pattern) {
  private static final Pattern VALID = Pattern.compile("[a-z0-9._/*?-]+");

  /**
   * @throws IllegalArgumentException empty, or characters a repository name cannot contain
   */
  public static RepositoryGlob of(String glob) {
    if (glob == null || glob.isEmpty() || !VALID.matcher(glob).matches()) {
      throw new IllegalArgumentException(
          "must be a repository pattern of lower-case letters, digits, '._-/' and the wildcards '*', '**', '?', was '"
              + glob
              + "'");
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new RepositoryGlob(glob, Pattern.compile(re.toString()));
  }

  public boolean matches(String repository) {
    return pattern.matcher(repository).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
