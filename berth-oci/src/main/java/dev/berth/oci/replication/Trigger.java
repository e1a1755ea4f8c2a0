package dev.berth.oci.replication;

/** Why a copy happens. */
public enum Trigger {
  /** A registry notification (or webhook) about a push. */
  PUSH,
  /** The periodic full sync, or one asked for by hand. */
  SYNC,
  /** A runtime pulled an image its registry lacked, from the rule's origin. */
  PULL_THROUGH;

  /** Lower-case, as stored and shown. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static Trigger of(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
