package dev.berth.core.alert;

import dev.berth.core.outbound.OutboundPolicy;
import dev.berth.core.support.Errors;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a receiver field by field: a webhook or Alertmanager needs an http(s) {@code url} that the
 * {@link OutboundPolicy} allows as written, an e-mail receiver addresses in {@code to}; {@code
 * repeat} between 1 minute and 7 days (default 4 hours).
 */
public final class ReceiverValidator {
  static final Duration DEFAULT_REPEAT = Duration.ofHours(4);
  private static final Pattern MAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private final OutboundPolicy outbound;

  public ReceiverValidator(OutboundPolicy outbound) {
    this.outbound = outbound;
  }

  /** The checked receiver (without a secret), or a validation error naming each field. */
  public Receiver validate(
      String name,
      String team,
      String type,
      String url,
      String format,
      List<String> to,
      String repeat) {
    Errors errors = new Errors();
    errors.dnsLabel(name, "name", 63);
    Receiver.Type t = null;
    for (Receiver.Type candidate : Receiver.Type.values()) {
      if (candidate.toString().equals(type)) {
        t = candidate;
      }
    }
    if (t == null) {
      errors.add("type", "must be webhook, email or alertmanager, was '" + type + "'");
    }
    Receiver.Format f = Receiver.Format.GENERIC;
    if (format != null) {
      f = null;
      for (Receiver.Format candidate : Receiver.Format.values()) {
        if (candidate.toString().equals(format.toLowerCase(Locale.ROOT))) {
          f = candidate;
        }
      }
      if (f == null || t != Receiver.Type.WEBHOOK) {
        errors.add(
            "format",
            t != Receiver.Type.WEBHOOK
                ? "only webhooks have a format"
                : "must be generic, slack, dingtalk, wecom or feishu, was '" + format + "'");
      }
    }
    if (t == Receiver.Type.WEBHOOK || t == Receiver.Type.ALERTMANAGER) {
      url(url, errors);
    } else if (t == Receiver.Type.EMAIL) {
      if (url != null) {
        errors.add("url", "an e-mail receiver has no url; give the addresses in to");
      }
      if (to == null || to.isEmpty()) {
        errors.add("to", "is required: the e-mail addresses, e.g. [\"ops@example.com\"]");
      } else {
        for (int i = 0; i < to.size(); i++) {
          if (to.get(i) == null || !MAIL.matcher(to.get(i)).matches()) {
            errors.add("to[" + i + "]", "must be an e-mail address, was '" + to.get(i) + "'");
          }
        }
      }
    }
    Duration r = DEFAULT_REPEAT;
    if (repeat != null) {
      try {
        r = Durations.parse(repeat);
        if (r.compareTo(Duration.ofMinutes(1)) < 0 || r.compareTo(Duration.ofDays(7)) > 0) {
          errors.add("repeat", "must be between 1m and 7d, was " + repeat);
        }
      } catch (IllegalArgumentException e) {
        errors.add("repeat", e.getMessage());
      }
    }
    errors.throwIfAny();
    return new Receiver(name, team, t, url, t == Receiver.Type.WEBHOOK ? f : null, to, null, r);
  }

  private void url(String url, Errors errors) {
    if (url == null || url.isBlank()) {
      errors.add("url", "is required: where to post, e.g. https://hooks.example.com/berth");
      return;
    }
    if (url.length() > 2048) {
      errors.add("url", "must be at most 2048 characters");
      return;
    }
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        errors.add("url", "must be an http or https URL, was '" + url + "'");
        return;
      }
      if (u.getHost() == null) {
        errors.add("url", "must name a host, e.g. https://hooks.example.com/berth");
        return;
      }
    } catch (URISyntaxException e) {
      errors.add("url", "is not a valid URL: " + e.getReason());
      return;
    }
    outbound
        .refuseAsWritten(url)
        .ifPresent(why -> errors.add("url", "is refused: " + url + " " + why));
  }
}
