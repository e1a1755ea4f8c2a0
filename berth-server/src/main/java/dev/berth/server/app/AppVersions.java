package dev.berth.server.app;

import dev.berth.core.app.App;
import dev.berth.core.support.ValidationException;
import dev.berth.server.web.PreconditionFailedException;
import dev.berth.server.web.PreconditionRequiredException;

/**
 * Which version of an app a change is based on, from the body's {@code version} and the {@code
 * If-Match} header (the app's ETag is its version in quotes). A full replacement must name one, so
 * that nobody replaces a spec they have not read; a partial change (merge patch) may leave it out.
 */
final class AppVersions {
  private AppVersions() {}

  /**
   * The version to check the change against, or null for none.
   *
   * @throws PreconditionFailedException when If-Match names another version than the current one
   * @throws PreconditionRequiredException when {@code required} and neither names a version
   */
  static Long basedOn(App current, Long bodyVersion, String ifMatch, boolean required) {
    Long matched = ifMatch(ifMatch, current);
    if (matched != null && matched != current.version()) {
      throw new PreconditionFailedException(
          "If-Match names version "
              + matched
              + " but app '"
              + current.name()
              + "' is at version "
              + current.version()
              + " (changed by someone else); read it again and retry");
    }
    Long version = bodyVersion != null ? bodyVersion : matched;
    if (version == null && required) {
      throw new PreconditionRequiredException(
          "version",
          "is required: a PUT replaces the whole spec, so send the version you read"
              + " (GET /api/v1/apps/"
              + current.name()
              + " answers it, and its ETag) in the body or as If-Match;"
              + " to change single fields send a PATCH with Content-Type: application/merge-patch+json");
    }
    return version;
  }

  /**
   * The version an If-Match header names: {@code "3"}, {@code W/"3"} or {@code 3}; {@code *} is the
   * current one.
   */
  static Long ifMatch(String header, App current) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.strip();
    if (v.equals("*")) {
      return current.version();
    }
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ValidationException.of(
          "If-Match",
          "must be the app's ETag (its version in quotes, such as \"3\"), was '" + header + "'");
    }
  }

  /** The ETag of an app: its version in quotes. */
  static String etag(App app) {
    return "\"" + app.version() + "\"";
  }
}
