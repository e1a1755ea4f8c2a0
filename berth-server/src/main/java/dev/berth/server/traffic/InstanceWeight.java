package dev.berth.server.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.support.ValidationException;

/**
 * Reads an instance weight a person sends: a whole number from 0 to {@link EndpointView#WEIGHT}.
 * Pure.
 */
final class InstanceWeight {
  static final String FIX =
      "an integer from 0 (listed as ready, but no new requests from the gateway) to 100 (the"
          + " default)";

  private InstanceWeight() {}

  /** The {@code weight} of a request body such as {@code {"weight": 30}}. */
  static int of(JsonNode body) {
    JsonNode w = body == null ? null : body.get("weight");
    if (w == null || w.isNull()) {
      throw ValidationException.of("weight", "missing: send " + FIX);
    }
    if (!w.isIntegralNumber() || !w.canConvertToInt()) {
      throw ValidationException.of("weight", "was " + w + ": send " + FIX);
    }
    return checked(w.asInt());
  }

  /** A weight typed into a form. */
  static int of(String text) {
    String t = text == null ? "" : text.strip();
    if (!t.matches("-?\\d{1,9}")) {
      throw ValidationException.of("weight", "was '" + t + "': send " + FIX);
    }
    return checked(Integer.parseInt(t));
  }

  private static int checked(int weight) {
    if (weight < 0 || weight > EndpointView.WEIGHT) {
      throw ValidationException.of("weight", "was " + weight + ": send " + FIX);
    }
    return weight;
  }
}
