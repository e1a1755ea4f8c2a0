package dev.berth.runtime.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.support.KubernetesRules;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/**
 * OpenKruise's admission rules for the update strategy of an Advanced StatefulSet (its validating
 * webhook and {@code UpdatePriorityStrategy.FieldsValidation}), for the fields Berth writes: a
 * known type, {@code rollingUpdate} only with {@code RollingUpdate}, a partition that is not
 * negative, {@code unorderedUpdate} only with {@code podManagementPolicy: Parallel}, weight or
 * order priorities but not both, weights from 0 to 100, non-empty selectors of valid label keys and
 * values. Pure.
 */
final class KruiseRules {
  private KruiseRules() {}

  static void updateStrategy(GenericKubernetesResource sts, List<String> out) {
    JsonNode spec = Serialization.jsonMapper().valueToTree(sts).path("spec");
    JsonNode strategy = spec.path("updateStrategy");
    String at = "spec.updateStrategy";
    String type = strategy.path("type").asText("RollingUpdate");
    JsonNode rolling = strategy.path("rollingUpdate");
    if ("OnDelete".equals(type)) {
      if (!rolling.isMissingNode() && !rolling.isNull()) {
        out.add(at + ".rollingUpdate: only allowed for updateStrategy 'RollingUpdate'");
      }
      return;
    }
    if (!"RollingUpdate".equals(type)) {
      out.add(at + ".type: must be 'RollingUpdate' or 'OnDelete'");
      return;
    }
    if (rolling.path("partition").asInt(0) < 0) {
      out.add(at + ".rollingUpdate.partition: must be greater than or equal to 0");
    }
    JsonNode unordered = rolling.path("unorderedUpdate");
    if (unordered.isMissingNode() || unordered.isNull()) {
      return;
    }
    String u = at + ".rollingUpdate.unorderedUpdate";
    if (!"Parallel".equals(spec.path("podManagementPolicy").asText())) {
      out.add(u + ": unorderedUpdate can only work with Parallel PodManagementPolicyType");
    }
    JsonNode priority = unordered.path("priorityStrategy");
    JsonNode weights = priority.path("weightPriority");
    if (weights.size() > 0 && priority.path("orderPriority").size() > 0) {
      out.add(u + ".priorityStrategy: only one of weightPriority and orderPriority can be used");
    }
    for (int i = 0; i < weights.size(); i++) {
      String w = u + ".priorityStrategy.weightPriority[" + i + "]";
      JsonNode term = weights.get(i);
      int weight = term.path("weight").asInt(-1);
      if (weight < 0 || weight > 100) {
        out.add(w + ".weight: must be valid number in the range 1-100");
      }
      selector(term.path("matchSelector"), w + ".matchSelector", out);
    }
  }

  private static void selector(JsonNode selector, String at, List<String> out) {
    JsonNode labels = selector.path("matchLabels");
    JsonNode expressions = selector.path("matchExpressions");
    if (labels.size() + expressions.size() == 0) {
      out.add(at + ": selector can not be empty");
    }
    labels
        .properties()
        .forEach(
            e -> {
              check(KubernetesRules.qualifiedName(e.getKey()), at + ".matchLabels", out);
              check(KubernetesRules.labelValue(e.getValue().asText()), at + ".matchLabels", out);
            });
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode e = expressions.get(i);
      String x = at + ".matchExpressions[" + i + "]";
      check(KubernetesRules.qualifiedName(e.path("key").asText()), x + ".key", out);
      String op = e.path("operator").asText();
      JsonNode values = e.path("values");
      switch (op) {
        case "In", "NotIn" -> {
          if (values.size() == 0) {
            out.add(x + ".values: must be specified when `operator` is 'In' or 'NotIn'");
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (values.size() > 0) {
            out.add(
                x + ".values: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
          }
        }
        default -> out.add(x + ".operator: not a valid selector operator");
      }
      for (JsonNode v : values) {
        check(KubernetesRules.labelValue(v.asText()), x + ".values", out);
      }
    }
  }

  private static void check(List<String> problems, String field, List<String> out) {
    problems.forEach(p -> out.add(field + ": " + p));
  }
}
