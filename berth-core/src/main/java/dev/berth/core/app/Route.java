package dev.berth.core.app;

import dev.berth.core.support.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A way in from the gateway: requests for {@code host} (any host when empty) whose path starts with
 * {@code path} go to the app's port named {@code port}. Two apps may not claim the same host and
 * path.
 */
public record Route(String host, String path, String port) {
  /** Lower-case DNS labels separated by dots; a leading {@code *.} matches one more label. */
  private static final Pattern HOST =
      Pattern.compile(
          "(\\*\\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

  /** A path prefix of URL-safe characters that mean nothing to nginx, so it stands unquoted. */
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!*+,:@%/-]{0,255}");

  public static final int MAX_ROUTES = 20;

  public Route {
    host = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
    path = path == null || path.isBlank() ? "/" : path.strip();
    port = port == null || port.isBlank() ? null : port.strip();
  }

  /** Host and path, as the key two apps may not share: {@code shop.example.com/api}. */
  public String claim() {
    return (host.isEmpty() ? "*" : host) + path;
  }

  /** Checks every route of a spec against the rules and the spec's own ports. */
  static void validate(List<Route> routes, List<PortSpec> ports, Errors errors) {
    if (routes.size() > MAX_ROUTES) {
      errors.add("routes", "at most " + MAX_ROUTES + " routes per app, was " + routes.size());
      return;
    }
    Set<String> claims = new HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      String f = "routes[" + i + "]";
      if (!r.host().isEmpty() && (r.host().length() > 253 || !HOST.matcher(r.host()).matches())) {
        errors.add(
            f + ".host",
            "must be a DNS name of lower-case letters, digits, '-' and '.' (e.g. 'shop.example.com'"
                + " or '*.example.com'), was '"
                + r.host()
                + "'");
      }
      if (!PATH.matcher(r.path()).matches() || r.path().contains("//")) {
        errors.add(
            f + ".path",
            "must be a path prefix starting with '/' of URL-safe characters (e.g. '/api'), was '"
                + r.path()
                + "'");
      }
      if (r.port() == null) {
        errors.add(f + ".port", "is required: the name of one of the app's ports, e.g. 'http'");
      } else if (ports.stream().noneMatch(p -> p.name() != null && p.name().equals(r.port()))) {
        errors.add(
            f + ".port",
            "names no port of the app ('"
                + r.port()
                + "'); add it under 'ports' or use one of "
                + ports.stream().map(PortSpec::name).toList());
      }
      if (!claims.add(r.claim())) {
        errors.add(f, "claims " + r.claim() + " twice");
      }
    }
  }
}
