package dev.berth.cli;

import java.util.OptionalInt;

/**
 * When {@code berth releases watch} stops and with which exit code, so that a script tells "paused
 * for promotion" from a failure: 0 succeeded, 10 paused awaiting promotion, 11 paused by hand, 20
 * aborted, 30 failed or stopped by a failing batch, 40 superseded by a newer release.
 */
final class WatchOutcome {
  static final int SUCCEEDED = 0;
  static final int AWAITING_PROMOTION = 10;
  static final int PAUSED_BY_HAND = 11;
  static final int ABORTED = 20;
  static final int FAILED = 30;
  static final int SUPERSEDED = 40;

  private WatchOutcome() {}

  /** The exit code for a release in this state, or empty while it is still moving. */
  static OptionalInt exitCode(String state, String reason) {
    return switch (state) {
      case "succeeded" -> OptionalInt.of(SUCCEEDED);
      case "aborted" -> OptionalInt.of(ABORTED);
      case "failed" -> OptionalInt.of(FAILED);
      case "superseded" -> OptionalInt.of(SUPERSEDED);
      case "paused" ->
          OptionalInt.of(
              switch (reason == null ? "" : reason) {
                case "AwaitingPromotion" -> AWAITING_PROMOTION;
                case "PausedByHand" -> PAUSED_BY_HAND;
                default -> FAILED;
              });
      default -> OptionalInt.empty();
    };
  }
}
