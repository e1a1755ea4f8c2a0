package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads every page of a list (following {@code next} as {@code cursor}) into one envelope. */
final class Pages {
  private static final int MAX_PAGES = 100;

  private Pages() {}

  static JsonNode all(Api api, String path, Map<String, ?> filters) {
    ObjectNode all = Api.JSON.createObjectNode();
    ArrayNode items = all.putArray("items");
    String cursor = null;
    JsonNode page = null;
    for (int i = 0; i < MAX_PAGES; i++) {
      Map<String, Object> params = new LinkedHashMap<>(filters);
      params.put("cursor", cursor);
      page = api.get(path + Api.query(params));
      page.path("items").forEach(items::add);
      cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
      if (cursor == null) {
        break;
      }
    }
    all.putNull("next");
    if (page != null && page.has("total")) {
      all.set("total", page.get("total"));
    }
    return all;
  }
}
