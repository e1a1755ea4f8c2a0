package dev.berth.runtime.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fields the API server refuses to change on an existing object: a StatefulSet's {@code selector},
 * {@code serviceName}, {@code podManagementPolicy} and {@code volumeClaimTemplates}; a Service's
 * {@code clusterIP}. Berth derives all of them from the app's name alone, which never changes, so
 * no spec change touches them; a live object that differs anyway (made by an older Berth, or edited
 * by hand) is recreated by the {@link Applier} rather than replaced — a replace would fail with 422
 * on every pass. Pure.
 */
final class ImmutableFields {
  private static final Map<String, List<String>> BY_KIND =
      Map.of(
          "StatefulSet",
              List.of(
                  "/spec/selector",
                  "/spec/serviceName",
                  "/spec/podManagementPolicy",
                  "/spec/volumeClaimTemplates"),
          "Service", List.of("/spec/clusterIP"));

  private ImmutableFields() {}

  /** The immutable fields whose live value differs from the desired one, as JSON pointers. */
  static List<String> changed(HasMetadata live, HasMetadata desired) {
    List<String> fields = BY_KIND.getOrDefault(desired.getKind(), List.of());
    if (fields.isEmpty() || live == null) {
      return List.of();
    }
    JsonNode l = Serialization.jsonMapper().valueToTree(live);
    JsonNode d = Serialization.jsonMapper().valueToTree(desired);
    List<String> out = new ArrayList<>();
    for (String f : fields) {
      if (!same(l.at(f), d.at(f))) {
        out.add(f);
      }
    }
    return out;
  }

  /** Missing, null and an empty list are the same: the API server defaults them alike. */
  private static boolean same(JsonNode a, JsonNode b) {
    return empty(a) && empty(b) || a.equals(b);
  }

  private static boolean empty(JsonNode n) {
    return n.isMissingNode() || n.isNull() || (n.isContainerNode() && n.isEmpty());
  }
}
