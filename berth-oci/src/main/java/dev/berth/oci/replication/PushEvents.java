package dev.berth.oci.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.registry.MediaTypes;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads registry notifications into {@link PushEvent}s. Two shapes are understood:
 *
 * <ul>
 *   <li>the CNCF distribution notification envelope {@code
 *       {"events":[{"action":"push","timestamp":…,
 *       "target":{"mediaType":…,"repository":…,"tag":…,"digest":…}}]}}: only pushes of a manifest
 *       or index with a tag count (blob pushes, pulls and pushes by digest alone are ignored);
 *   <li>Harbor's webhook {@code {"type":"PUSH_ARTIFACT","occur_at":<epoch
 *       s>,"event_data":{"repository": {"repo_full_name":…},"resources":[{"tag":…,"digest":…}]}}}:
 *       one event per resource with a tag.
 * </ul>
 *
 * Stateless, thread-safe.
 */
public final class PushEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private PushEvents() {}

  /**
   * The pushes in a notification body.
   *
   * @throws IllegalArgumentException the body is not JSON or is neither shape, saying which fields
   *     were expected
   */
  public static List<PushEvent> parse(byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the body is not JSON: "
              + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage()
                  : e.getMessage()));
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    if (json.has("events")) {
      return distribution(json.path("events"));
    }
    if (json.has("type") && json.has("event_data")) {
      return harbor(json);
    }
    throw new IllegalArgumentException(
        "expected a distribution notification envelope (field 'events') or a Harbor webhook (fields 'type' and 'event_data')");
  }

  private static List<PushEvent> distribution(JsonNode events) {
    List<PushEvent> out = new ArrayList<>();
    for (JsonNode e : events) {
      JsonNode target = e.path("target");
      String type = target.path("mediaType").asText("");
      String tag = target.path("tag").asText("");
      if (!"push".equals(e.path("action").asText())
          || !(MediaTypes.isManifest(type) || MediaTypes.isIndex(type))
          || !TAG.matcher(tag).matches()) {
        continue;
      }
      String repository = target.path("repository").asText("");
      if (repository.isEmpty()) {
        continue;
      }
      out.add(
          new PushEvent(
              repository,
              tag,
              digest(target.path("digest").asText("")),
              time(e.path("timestamp").asText(""))));
    }
    return out;
  }

  private static List<PushEvent> harbor(JsonNode json) {
    List<PushEvent> out = new ArrayList<>();
    String type = json.path("type").asText("");
    if (!"PUSH_ARTIFACT".equals(type) && !"pushImage".equalsIgnoreCase(type)) {
      return out;
    }
    JsonNode data = json.path("event_data");
    String repository = data.path("repository").path("repo_full_name").asText("");
    if (repository.isEmpty()) {
      String ns = data.path("repository").path("namespace").asText("");
      String name = data.path("repository").path("name").asText("");
      repository = ns.isEmpty() ? name : ns + "/" + name;
    }
    long occurAt = json.path("occur_at").asLong(0);
    Instant at = occurAt > 0 ? Instant.ofEpochSecond(occurAt) : null;
    for (JsonNode resource : data.path("resources")) {
      String tag = resource.path("tag").asText("");
      if (!repository.isEmpty() && TAG.matcher(tag).matches()) {
        out.add(new PushEvent(repository, tag, digest(resource.path("digest").asText("")), at));
      }
    }
    return out;
  }

  private static String digest(String d) {
    return DIGEST.matcher(d).matches() ? d : null;
  }

  private static Instant time(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
