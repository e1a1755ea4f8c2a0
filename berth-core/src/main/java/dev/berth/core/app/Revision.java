package dev.berth.core.app;

import java.time.Instant;

/**
 * An immutable, numbered version of an application's spec. Numbers start at 1 and only grow. {@code
 * change} says how the revision came about when it was not an ordinary spec change released to the
 * instances, e.g. {@code resized live: memory 64Mi→96Mi} for a live resize that no instance was
 * restarted for; null otherwise.
 */
public record Revision(
    String app, long number, AppSpec spec, String createdBy, Instant createdAt, String change) {

  /** An ordinary revision: a spec change, released as usual. */
  public Revision(String app, long number, AppSpec spec, String createdBy, Instant createdAt) {
    this(app, number, spec, createdBy, createdAt, null);
  }

  /** The prefix of {@link #change} for a revision applied live. */
  public static final String RESIZED_LIVE = "resized live: ";

  /** Whether the revision was applied to the running instances without replacing them. */
  public boolean resizedLive() {
    return change != null && change.startsWith(RESIZED_LIVE);
  }
}
