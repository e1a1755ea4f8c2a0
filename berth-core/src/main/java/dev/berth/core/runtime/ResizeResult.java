package dev.berth.core.runtime;

/**
 * What {@link ClusterRuntime#resizeInPlace} did: {@code inPlace} when every instance now runs the
 * new revision with the new resources and nothing was restarted; otherwise nothing was changed and
 * {@code reason} says why, in a sentence for the user (the caller then rolls the revision out as a
 * release).
 */
public record ResizeResult(boolean inPlace, String reason) {
  public static ResizeResult done() {
    return new ResizeResult(true, null);
  }

  public static ResizeResult cannot(String reason) {
    return new ResizeResult(false, reason);
  }
}
