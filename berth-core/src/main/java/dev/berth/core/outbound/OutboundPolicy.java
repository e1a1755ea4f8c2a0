package dev.berth.core.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where outbound calls that users aim (task callbacks, alert webhooks) may go. Refused by default:
 * link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}), the cloud metadata services
 * ({@code 169.254.169.254}, {@code fd00:ec2::254}, {@code 100.100.100.200}) and their names ({@code
 * metadata.google.internal}, {@code metadata.goog}). {@code allowed} blocks or names win over every
 * refusal; {@code refused} blocks and names are refused in addition. Pure: resolving is the
 * caller's {@link Resolver}.
 */
public record OutboundPolicy(
    List<AddressRange> allowed,
    List<AddressRange> refused,
    Set<String> allowedNames,
    Set<String> refusedNames) {

  /** The blocks refused unless allowed. */
  public static final List<String> DEFAULT_REFUSED =
      List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "100.100.100.200/32");

  /** The host names refused unless allowed (cloud metadata services). */
  public static final List<String> DEFAULT_REFUSED_NAMES =
      List.of("metadata.google.internal", "metadata.goog", "metadata");

  /** Turns a host name into its addresses; the production one asks the system resolver. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system resolver ({@link InetAddress#getAllByName}). */
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
  }

  public OutboundPolicy {
    allowed = List.copyOf(allowed);
    refused = List.copyOf(refused);
    allowedNames = Set.copyOf(allowedNames);
    refusedNames = Set.copyOf(refusedNames);
  }

  /** The default policy. */
  public static OutboundPolicy defaults() {
    return of(List.of(), List.of());
  }

  /**
   * The default policy plus {@code allow} and {@code refuse} entries, each an address block ({@code
   * 10.0.0.0/8}, {@code 169.254.169.254}) or a host name. Throws {@link IllegalArgumentException}
   * naming a malformed entry.
   */
  public static OutboundPolicy of(List<String> allow, List<String> refuse) {
    List<AddressRange> allowed = new ArrayList<>();
    List<AddressRange> refused = new ArrayList<>();
    Set<String> allowedNames = new TreeSet<>();
    Set<String> refusedNames = new TreeSet<>(DEFAULT_REFUSED_NAMES);
    DEFAULT_REFUSED.forEach(r -> refused.add(AddressRange.parse(r)));
    for (String a : allow) {
      if (isName(a)) {
        allowedNames.add(a.strip().toLowerCase(Locale.ROOT));
      } else {
        allowed.add(AddressRange.parse(a));
      }
    }
    for (String r : refuse) {
      if (isName(r)) {
        refusedNames.add(r.strip().toLowerCase(Locale.ROOT));
      } else {
        refused.add(AddressRange.parse(r));
      }
    }
    return new OutboundPolicy(allowed, refused, allowedNames, refusedNames);
  }

  private static boolean isName(String entry) {
    String e = entry.strip();
    return !e.contains(":") && !e.contains("/") && !e.matches("[0-9.]+");
  }

  /**
   * Why {@code url}'s host is refused as written, without resolving it: a refused name or a refused
   * literal address. Empty when the URL may be stored (a name is checked again when sending).
   */
  public Optional<String> refuseAsWritten(String url) {
    String host = host(url);
    if (host == null) {
      return Optional.empty();
    }
    if (isLiteral(host)) {
      try {
        return refuse(InetAddress.getByName(host));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return refuseName(host);
  }

  /**
   * Why a call to {@code url} must not go out now: its name or any address it resolves to at this
   * moment is refused (a name that pointed elsewhere when it was stored may point at a metadata
   * service now). An unresolvable host is refused too, with the resolver's reason.
   */
  public Optional<String> refuseAtSend(String url, Resolver resolver) {
    String host = host(url);
    if (host == null) {
      return Optional.of("the URL names no host");
    }
    Optional<String> asWritten = refuseAsWritten(url);
    if (asWritten.isPresent() || isLiteral(host)) {
      return asWritten;
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("cannot resolve " + host);
    }
    for (InetAddress a : addresses) {
      Optional<String> r = refuse(a);
      if (r.isPresent()) {
        return Optional.of(host + " resolves to " + a.getHostAddress() + ", " + r.get());
      }
    }
    return Optional.empty();
  }

  /** Why {@code address} is refused, or empty when calls may go there. */
  public Optional<String> refuse(InetAddress address) {
    if (allowed.stream().anyMatch(r -> r.contains(address))) {
      return Optional.empty();
    }
    return refused.stream()
        .filter(r -> r.contains(address))
        .findFirst()
        .map(
            r ->
                "which lies in "
                    + r
                    + ", refused for outbound calls (link-local or cloud metadata); an admin may"
                    + " allow it with berth.outbound.allow");
  }

  private Optional<String> refuseName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (allowedNames.contains(h) || !refusedNames.contains(h)) {
      return Optional.empty();
    }
    return Optional.of(
        "the host "
            + host
            + " is refused for outbound calls (a cloud metadata service); an admin may allow it"
            + " with berth.outbound.allow");
  }

  private static boolean isLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  private static String host(String url) {
    try {
      String h = URI.create(url).getHost();
      if (h == null || h.isBlank()) {
        return null;
      }
      return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
