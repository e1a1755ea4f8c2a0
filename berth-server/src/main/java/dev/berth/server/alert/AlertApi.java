package dev.berth.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.support.ValidationException;
import dev.berth.server.web.ListJson;
import dev.berth.server.web.MergePatch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Alert rules, receivers, alerts and silences. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "alerts", description = "Alert rules, receivers, alerts and silences")
public class AlertApi {
  private final RuleOperations rules;
  private final ReceiverOperations receivers;
  private final AlertOperations alerts;
  private final Set<String> metricNames;
  private final ObjectMapper json;

  AlertApi(
      RuleOperations rules,
      ReceiverOperations receivers,
      AlertOperations alerts,
      AlertConfig.RuleMetrics metricNames,
      ObjectMapper json) {
    this.rules = rules;
    this.receivers = receivers;
    this.alerts = alerts;
    this.metricNames = metricNames.names();
    this.json = json;
  }

  // ------------------------------------------------------------------ rules

  @GetMapping("/alert-rules")
  @Operation(summary = "Alert rules the caller may read: platform rules and their teams' rules")
  public ListJson<RuleJson> rules() {
    return ListJson.of(rules.list());
  }

  @GetMapping("/alert-rules/metrics")
  @Operation(summary = "The metric names a rule may name")
  public ListJson<String> metrics() {
    return ListJson.of(List.copyOf(metricNames));
  }

  @PostMapping("/alert-rules")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Create a rule: a threshold on a metric (or a ratio of two, or a counter's increase) or recent events,"
              + " with for, severity and labels (alert.manage in its team; admins for platform rules)")
  public ResponseEntity<RuleJson> createRule(@RequestBody RuleJson body) {
    RuleJson created = rules.create(body);
    return ResponseEntity.created(URI.create("/api/v1/alert-rules/" + created.name()))
        .body(created);
  }

  @GetMapping("/alert-rules/{name}")
  @Operation(summary = "One alert rule")
  public RuleJson rule(@PathVariable String name) {
    return rules.get(name);
  }

  @PutMapping("/alert-rules/{name}")
  @Operation(summary = "Replace a rule (version in the body, if given, must be the current one)")
  public RuleJson replaceRule(@PathVariable String name, @RequestBody RuleJson body) {
    return rules.replace(name, body);
  }

  @PatchMapping(
      value = "/alert-rules/{name}",
      consumes = {MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
  @Operation(
      summary =
          "Change single fields of a rule (JSON Merge Patch), e.g. {\"enabled\": false} or {\"threshold\": 0.9}")
  public RuleJson patchRule(
      @PathVariable String name,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MergePatch.MEDIA_TYPE,
                      schema =
                          @Schema(
                              type = "object",
                              additionalProperties = Schema.AdditionalPropertiesValue.TRUE)))
          @RequestBody
          JsonNode patch)
      throws JsonProcessingException {
    if (patch == null || !patch.isObject()) {
      throw ValidationException.of(
          "body",
          "must be a JSON object naming the fields to change, such as {\"enabled\": false}");
    }
    ObjectNode current = json.valueToTree(rules.get(name));
    current.remove("builtIn");
    current.remove("version");
    JsonNode merged = MergePatch.apply(current, patch);
    return rules.replace(name, json.treeToValue(merged, RuleJson.class));
  }

  @DeleteMapping("/alert-rules/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Delete a rule (built-in rules are turned off instead: 409)")
  public ResponseEntity<Void> deleteRule(@PathVariable String name) {
    rules.delete(name);
    return ResponseEntity.noContent().build();
  }

  // ------------------------------------------------------------------ receivers

  @GetMapping("/receivers")
  @Operation(
      summary = "Receivers the caller may read: their teams' (and, for admins, platform ones)")
  public ListJson<ReceiverJson> receivers() {
    return ListJson.of(receivers.list());
  }

  @PostMapping("/receivers")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Create a receiver: webhook (format generic, slack, dingtalk, wecom or feishu; signed), email (to) or"
              + " alertmanager (url of its base). The webhook secret is answered this once")
  public ResponseEntity<ReceiverJson> createReceiver(@RequestBody ReceiverJson body) {
    ReceiverJson created = receivers.create(body);
    return ResponseEntity.created(URI.create("/api/v1/receivers/" + created.name())).body(created);
  }

  @GetMapping("/receivers/{name}")
  @Operation(summary = "One receiver (without its secret)")
  public ReceiverJson receiver(@PathVariable String name) {
    return receivers.get(name);
  }

  @DeleteMapping("/receivers/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Delete a receiver; its queued messages are dropped")
  public ResponseEntity<Void> deleteReceiver(@PathVariable String name) {
    receivers.delete(name);
    return ResponseEntity.noContent().build();
  }

  // ------------------------------------------------------------------ alerts

  @GetMapping("/alerts")
  @Operation(
      summary =
          "Alerts, newest first, with their delivery attempts; state=firing, resolved or pending narrows the list")
  public ListJson<AlertJson> alerts(
      @RequestParam(required = false) String state,
      @RequestParam(required = false, defaultValue = "200") int limit) {
    return ListJson.of(alerts.alerts(state, limit));
  }

  @GetMapping("/alerts/{id}")
  @Operation(summary = "One alert with every attempt to deliver it")
  public AlertJson alert(@PathVariable long id) {
    return alerts.alert(id);
  }

  // ------------------------------------------------------------------ silences

  @GetMapping("/silences")
  @Operation(summary = "Silences, newest first, active or not")
  public ListJson<SilenceJson> silences() {
    return ListJson.of(alerts.silences());
  }

  @PostMapping("/silences")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Silence alerts whose labels match until endsAt (or for duration); they still fire and resolve,"
              + " and a 'resolved' owed to a receiver is sent once the silence is over")
  public SilenceJson createSilence(@RequestBody SilenceJson body) {
    return alerts.createSilence(body);
  }

  @DeleteMapping("/silences/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "End a silence now")
  public ResponseEntity<Void> expireSilence(@PathVariable long id) {
    alerts.expireSilence(id);
    return ResponseEntity.noContent().build();
  }
}
