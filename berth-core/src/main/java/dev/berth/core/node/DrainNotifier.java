package dev.berth.core.node;

/**
 * Where a drain that could not finish is reported beyond its Warning event: the server routes it to
 * the alert receivers (mail, chat, webhook) the way firing alerts go.
 */
@FunctionalInterface
public interface DrainNotifier {
  /** The drain stopped at its deadline with instances still on the node. Never throws. */
  void stoppedAtDeadline(Drain drain);

  DrainNotifier NONE = d -> {};
}
