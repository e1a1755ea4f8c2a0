package dev.berth.server.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a promotion stands: {@code awaiting-approval} until an operator or owner of the target's
 * team approves or rejects it; {@code approved} while its release is being started; {@code
 * released} once the target's release runs (final); {@code rejected} (final).
 */
public enum PromotionState {
  AWAITING_APPROVAL,
  APPROVED,
  REJECTED,
  RELEASED;

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @JsonCreator
  public static PromotionState parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
