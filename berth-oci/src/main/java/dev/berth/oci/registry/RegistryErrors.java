package dev.berth.oci.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where a registry's error answer becomes a sentence for people. Registries answer
 * {@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"...","detail":...}]}} (the distribution
 * specification's error codes); Berth's messages say what the code means instead of repeating the
 * JSON. A body that is not such JSON (an HTML error page of a proxy) is left out: the status says
 * enough.
 */
public final class RegistryErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> MEANING =
      Map.ofEntries(
          Map.entry("MANIFEST_UNKNOWN", "the registry has no image with that tag or digest"),
          Map.entry("NAME_UNKNOWN", "the registry has no repository of that name"),
          Map.entry("BLOB_UNKNOWN", "the registry is missing a layer of the image"),
          Map.entry(
              "MANIFEST_BLOB_UNKNOWN", "the registry is missing a layer the manifest refers to"),
          Map.entry("UNAUTHORIZED", "the registry needs valid credentials for it"),
          Map.entry("DENIED", "the registry denied access to that repository"),
          Map.entry("TOOMANYREQUESTS", "the registry limits the request rate; try again later"),
          Map.entry("UNSUPPORTED", "the registry does not support this operation"),
          Map.entry("NAME_INVALID", "the registry does not accept that repository name"),
          Map.entry("TAG_INVALID", "the registry does not accept that tag"),
          Map.entry("DIGEST_INVALID", "the content did not match its digest"),
          Map.entry("SIZE_INVALID", "the content did not match its declared size"),
          Map.entry("MANIFEST_INVALID", "the registry found the manifest invalid"),
          Map.entry("MANIFEST_UNVERIFIED", "the registry could not verify the manifest"),
          Map.entry("BLOB_UPLOAD_UNKNOWN", "the registry lost track of the upload"),
          Map.entry("BLOB_UPLOAD_INVALID", "the registry refused the upload"),
          Map.entry("RANGE_INVALID", "the registry refused the byte range"),
          Map.entry("PAGINATION_NUMBER_INVALID", "the registry refused the page size"));

  private RegistryErrors() {}

  /**
   * What a registry's error answer means, as a sentence without JSON: "the registry has no image
   * with that tag or digest"; for a code it does not know, the registry's own message, or else the
   * status.
   */
  public static String explain(int status, String body) {
    return meaning(body).orElse("the registry answered " + status + reason(status));
  }

  /** What the error codes of a registry's answer mean, when it has any; empty for other bodies. */
  public static Optional<String> meaning(String body) {
    Set<String> parts = new LinkedHashSet<>();
    for (JsonNode e : errors(body)) {
      String code = e.path("code").asText("").toUpperCase(Locale.ROOT);
      String meaning = MEANING.get(code);
      if (meaning != null) {
        parts.add(meaning);
      } else if (!e.path("message").asText("").isBlank()) {
        parts.add("the registry says: " + oneLine(e.path("message").asText()));
      }
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
  }

  private static JsonNode errors(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createArrayNode();
    }
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && root.path("errors").isArray()
          ? root.path("errors")
          : JSON.createArrayNode();
    } catch (JsonProcessingException e) {
      return JSON.createArrayNode();
    }
  }

  private static String oneLine(String message) {
    String s = message.strip().replaceAll("\\s+", " ");
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> " (bad request)";
      case 401 -> " (credentials needed)";
      case 403 -> " (access denied)";
      case 404 -> " (not found)";
      case 405 -> " (method not allowed)";
      case 429 -> " (too many requests)";
      case 500 -> " (internal error)";
      case 502 -> " (bad gateway)";
      case 503 -> " (unavailable)";
      case 504 -> " (gateway timeout)";
      default -> "";
    };
  }
}
