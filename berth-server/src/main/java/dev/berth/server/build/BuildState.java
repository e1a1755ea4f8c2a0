package dev.berth.server.build;

import java.util.Locale;

/** Where a build is: waiting for a slot (or its base template's build), running, or ended. */
public enum BuildState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
