package dev.berth.server.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What differs between two revisions' specs, field by field: both specs as JSON trees flattened to
 * paths ({@code image}, {@code env.MODE}, {@code command[1]}), compared. Pure.
 */
public final class RevisionDiff {
  private RevisionDiff() {}

  /** One field that differs: its path and its value in each spec (null where absent). */
  public record Change(String field, String before, String after) {}

  /** The fields that differ from {@code before} to {@code after}, sorted by path. */
  public static List<Change> between(JsonNode before, JsonNode after) {
    Map<String, String> a = flatten(before);
    Map<String, String> b = flatten(after);
    TreeSet<String> fields = new TreeSet<>(a.keySet());
    fields.addAll(b.keySet());
    List<Change> out = new ArrayList<>();
    for (String f : fields) {
      String x = a.get(f);
      String y = b.get(f);
      if (x == null ? y != null : !x.equals(y)) {
        out.add(new Change(f, x, y));
      }
    }
    return out;
  }

  static Map<String, String> flatten(JsonNode node) {
    Map<String, String> out = new TreeMap<>();
    flatten("", node, out);
    return out;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (node.isObject()) {
      node.properties()
          .forEach(
              e ->
                  flatten(
                      path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(path + "[" + i + "]", node.get(i), out);
      }
    } else {
      out.put(path, node.asText());
    }
  }
}
