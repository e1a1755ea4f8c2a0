package dev.berth.runtime.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes API's own schemas, as a strict JSON Schema validator for whole objects. The source
 * is the OpenAPI (Swagger 2.0) document fabric8 generates its model from, shipped in the Maven
 * artifact {@code io.fabric8:kubernetes-model-validator} as {@code openshift-generated.json}. Like
 * kubeconform's {@code -strict}, every object schema gets {@code additionalProperties: false}, so
 * an unknown field is an error, and {@code IntOrString} becomes integer-or-string (what the API
 * server takes). Validated with networknt's json-schema-validator (draft 4, the dialect of Swagger
 * 2.0 definitions).
 */
final class KubernetesSchemas {
  private static final String RESOURCE = "/openshift-generated.json";
  private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KubernetesSchemas instance;

  private final ObjectNode definitions;
  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  private KubernetesSchemas(ObjectNode definitions) {
    this.definitions = definitions;
  }

  static synchronized KubernetesSchemas load() {
    if (instance != null) {
      return instance;
    }
    try (InputStream in = KubernetesSchemas.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE
                + " is missing: the test dependency io.fabric8:kubernetes-model-validator carries it");
      }
      ObjectNode defs = (ObjectNode) JSON.readTree(in).get("definitions");
      defs.fields().forEachRemaining(e -> strict(e.getValue()));
      ObjectNode intOrString = JSON.createObjectNode();
      intOrString.set("type", JSON.createArrayNode().add("integer").add("string"));
      defs.set(INT_OR_STRING, intOrString);
      instance = new KubernetesSchemas(defs);
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The definition of a built-in apiVersion and kind, named as the Kubernetes OpenAPI names them:
   * {@code v1 Service} is {@code io.k8s.api.core.v1.Service}, {@code apps/v1 StatefulSet} {@code
   * io.k8s.api.apps.v1.StatefulSet}, {@code rbac.authorization.k8s.io/v1 Role} {@code
   * io.k8s.api.rbac.v1.Role}.
   */
  String definitionOf(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "core" : apiVersion.substring(0, slash).split("\\.")[0];
    String def = "io.k8s.api." + group + "." + apiVersion.substring(slash + 1) + "." + kind;
    if (!definitions.has(def)) {
      throw new IllegalArgumentException("no Kubernetes schema for " + apiVersion + " " + kind);
    }
    return def;
  }

  /** Every way {@code o} breaks its kind's schema; empty when it conforms. */
  List<String> problems(HasMetadata o) {
    return problems((JsonNode) Serialization.jsonMapper().valueToTree(o));
  }

  List<String> problems(JsonNode object) {
    String def = definitionOf(object.path("apiVersion").asText(), object.path("kind").asText());
    JsonSchema schema =
        schemas.computeIfAbsent(
            def,
            d -> {
              ObjectNode root = JSON.createObjectNode();
              root.put("$ref", "#/definitions/" + d);
              root.set("definitions", definitions);
              return factory.getSchema(root);
            });
    List<String> out = new ArrayList<>();
    for (ValidationMessage m : schema.validate(object)) {
      out.add(m.getMessage());
    }
    return out;
  }

  /** Closes every object schema to unknown fields and drops descriptions and vendor extensions. */
  private static void strict(JsonNode node) {
    if (node instanceof ObjectNode o) {
      Iterator<String> names = o.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (n.equals("description") || n.startsWith("x-")) {
          names.remove();
        }
      }
      if (o.has("properties") && !o.has("additionalProperties")) {
        o.put("additionalProperties", false);
      }
      JsonNode props = o.get("properties");
      if (props != null) {
        props.forEach(KubernetesSchemas::strict);
      }
      strict(o.get("items"));
      strict(o.get("additionalProperties"));
    } else if (node instanceof ArrayNode a) {
      a.forEach(KubernetesSchemas::strict);
    }
  }
}
