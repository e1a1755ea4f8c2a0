package dev.berth.core.runtime;

import dev.berth.core.app.AppSpec;

/** One instance that should exist: its ordinal and the revision (with spec) it should run. */
public record InstanceSlot(String app, int ordinal, long revision, AppSpec spec) {
  /** The stable instance id, {@code <app>-<ordinal>}, also its hostname. */
  public String id() {
    return InstanceIds.id(app, ordinal);
  }
}
