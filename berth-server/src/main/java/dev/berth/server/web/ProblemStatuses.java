package dev.berth.server.web;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which error statuses an API operation can answer, from its method, path and parameters: a pure
 * function, so that the API description lists them all and a test pins the rules.
 */
public final class ProblemStatuses {
  private ProblemStatuses() {}

  /** Status code to description, in code order. */
  public static Map<Integer, String> of(
      String path, String method, List<String> params, boolean hasBody) {
    Map<Integer, String> codes = new TreeMap<>();
    boolean change = !method.equals("GET") && !method.equals("HEAD");
    if (hasBody || !params.isEmpty() || path.contains("{")) {
      codes.put(400, "Invalid request: each wrong field is named in errors[] with the fix");
    }
    codes.put(401, "No valid API token (Authorization: Bearer <token>)");
    codes.put(
        403,
        "The token's user lacks the permission named in the problem, or the token is narrowed to another one (narrowedTo)");
    if (path.contains("{")) {
      codes.put(404, "No such object, or one the caller may not read");
    }
    if (change) {
      codes.put(
          409,
          "Conflicts with the current state (taken name, stale version, an object still in use)");
    }
    if (params.contains("If-Match")) {
      codes.put(412, "If-Match names another version than the current one");
    }
    if (params.contains("confirm") || params.contains("If-Match")) {
      codes.put(
          428,
          params.contains("If-Match")
              ? "The version the change replaces is missing (version in the body, or If-Match), or a confirmation (confirm=<name>) is needed"
              : "A confirmation is needed: send confirm=<the object's name>");
    }
    if (hasBody) {
      codes.put(413, "The body is larger than Berth accepts");
    }
    if (path.startsWith("/api/v1/metrics/")) {
      codes.put(503, "The metric's source (a cluster's Prometheus) cannot be read now");
    }
    codes.put(429, "Too many failed token attempts from this address; wait for Retry-After");
    if (path.endsWith("/exec") || path.endsWith("/terminal")) {
      codes.put(
          429,
          "Too many failed token attempts from this address, or too many commands running at once"
              + " (berth.exec.max-concurrent in this Berth, berth.exec.max-per-user per user);"
              + " wait for Retry-After");
    }
    return codes;
  }
}
