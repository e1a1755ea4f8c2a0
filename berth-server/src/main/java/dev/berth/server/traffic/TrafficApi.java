package dev.berth.server.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.traffic.Endpoint;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Discovery of an app's instances and the switch that takes one out of traffic and back. */
@RestController
@RequestMapping("/api/v1/apps")
@Tag(name = "traffic", description = "Endpoints of an app (discovery) and instances offline/online")
public class TrafficApi {
  private final TrafficOperations traffic;
  private final Discovery discovery;
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

  public TrafficApi(TrafficOperations traffic, Discovery discovery) {
    this.traffic = traffic;
    this.discovery = discovery;
  }

  @GetMapping(value = "/{app}/endpoints", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary =
          "The app's endpoints: the instances that are ready and online, with IP, ports, node, revision and weight;"
              + " all=true adds the others with their state (offline, draining, unready). The ETag is the endpoints' version,"
              + " which grows with every change; follow changes with watch=true (server-sent events)")
  public ResponseEntity<ListJson<EndpointJson>> endpoints(
      @PathVariable String app,
      @Parameter(description = "also the instances that take no traffic, with their state")
          @RequestParam(defaultValue = "false")
          boolean all) {
    traffic.readable(app);
    return answer(discovery, app, all);
  }

  @GetMapping(
      value = "/{app}/endpoints",
      params = "watch=true",
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary =
          "Follow the app's endpoints as server-sent events: an 'endpoints' event (data: app, version, items) at once and after"
              + " every change, its id the version; a comment every 15 s while nothing changes. all=true as for the list")
  public SseEmitter watch(
      @PathVariable String app,
      @Parameter(description = "true: stream instead of answering once") @RequestParam
          boolean watch,
      @RequestParam(defaultValue = "false") boolean all) {
    traffic.readable(app);
    return EndpointStream.open(discovery, app, all);
  }

  @GetMapping(
      value = "/{app}/endpoints",
      params = "version",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary =
          "Long-poll the app's endpoints: answers as soon as their version (the list's ETag) is greater than the one given,"
              + " at the latest after 30 s with the current list; the ETag says which version it is")
  public DeferredResult<ResponseEntity<ListJson<EndpointJson>>> poll(
      @PathVariable String app,
      @Parameter(description = "the version the client has (the ETag of its last answer)")
          @RequestParam
          long version,
      @RequestParam(defaultValue = "false") boolean all) {
    traffic.readable(app);
    return EndpointPoll.open(discovery, app, all, version, POLL_TIMEOUT);
  }

  static ResponseEntity<ListJson<EndpointJson>> answer(
      Discovery discovery, String app, boolean all) {
    long version = discovery.version(app);
    List<Endpoint> endpoints = all ? discovery.of(app) : discovery.serving(app);
    return ResponseEntity.ok()
        .eTag("\"" + version + "\"")
        .body(ListJson.of(endpoints.stream().map(EndpointJson::of).toList()));
  }

  /** What an offline or online request did. */
  public record TrafficJson(String instance, String state, boolean changed, String message) {
    static TrafficJson of(TrafficOperations.Outcome o) {
      return new TrafficJson(
          o.instance(), TrafficOperations.lower(o.state()), o.changed(), o.message());
    }
  }

  @PostMapping("/{app}/instances/{id}/offline")
  @Operation(
      summary =
          "Take an instance out of traffic by hand: it keeps running (for debugging) but leaves discovery, DNS and the gateway."
              + " Stored, so it stays offline across restarts of Berth and of the instance, and through releases. Idempotent")
  public TrafficJson offline(@PathVariable String app, @PathVariable String id) {
    return TrafficJson.of(traffic.offline(app, id));
  }

  /** What a weight request did. */
  public record WeightJson(int weight, String instance, boolean changed, String message) {
    static WeightJson of(TrafficOperations.WeightOutcome o) {
      return new WeightJson(o.weight(), o.instance(), o.changed(), o.message());
    }
  }

  @PutMapping(
      value = "/{app}/instances/{id}/weight",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary =
          "Set an instance's weight, 0 to 100 (default 100): the gateway gives each ready instance new requests in"
              + " proportion to its weight (smooth weighted round robin). 0 keeps the instance listed as ready in"
              + " discovery and DNS, but the gateway sends it nothing while another endpoint weighs more; offline"
              + " instead takes it out of discovery and DNS too. Stored, so it stays across restarts and releases."
              + " DNS cannot weight. Idempotent")
  public WeightJson weight(
      @PathVariable String app,
      @PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              description = "weight: an integer from 0 to 100, e.g. {\"weight\": 30}")
          @RequestBody
          JsonNode body) {
    return WeightJson.of(traffic.weight(app, id, InstanceWeight.of(body)));
  }

  @PostMapping("/{app}/instances/{id}/online")
  @Operation(
      summary =
          "Put an instance back into traffic: it serves again once ready (a drain by a release ends too). Idempotent")
  public TrafficJson online(@PathVariable String app, @PathVariable String id) {
    return TrafficJson.of(traffic.online(app, id));
  }
}
