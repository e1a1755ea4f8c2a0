package dev.berth.server.charts;

import dev.berth.core.app.App;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Permission;
import dev.berth.server.app.AppOperations;
import dev.berth.server.charts.ChartAssembly.ChartJson;
import dev.berth.server.charts.ChartCatalog.Chart;
import dev.berth.server.charts.ChartCatalog.Scope;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The portal's charts: the data each chart draws ({@code /charts/data}, read with the page's
 * session and the same rights as the page), an instance's page, a node's page with its headroom and
 * a cluster's page. The app page includes the same chart panel.
 */
@Controller
public class ChartPages {
  private final ChartData data;
  private final NodeMetrics nodeMetrics;
  private final AppOperations apps;
  private final ClusterRegistry clusters;
  private final Access access;

  public ChartPages(
      ChartData data,
      NodeMetrics nodeMetrics,
      AppOperations apps,
      ClusterRegistry clusters,
      Access access) {
    this.data = data;
    this.nodeMetrics = nodeMetrics;
    this.apps = apps;
    this.clusters = clusters;
    this.access = access;
  }

  /** The portal's chart data: not part of the API (no bearer path, a shape made for uPlot). */
  @GetMapping(value = "/charts/data", produces = "application/json")
  @ResponseBody
  @io.swagger.v3.oas.annotations.Hidden
  public ChartJson chart(
      @RequestParam String scope,
      @RequestParam String chart,
      @RequestParam(defaultValue = "1h") String window,
      @RequestParam(required = false) String app,
      @RequestParam(required = false) String instance,
      @RequestParam(required = false) String cluster,
      @RequestParam(required = false) String node) {
    Scope s = scope(scope);
    Chart c =
        ChartCatalog.chart(s, chart)
            .orElseThrow(() -> ValidationException.of("chart", "is not a chart of " + scope));
    Duration w = ChartData.WINDOWS.get(window);
    if (w == null) {
      throw ValidationException.of("window", "must be one of 1h, 6h, 24h, 7d, was " + window);
    }
    Map<String, String> match = new LinkedHashMap<>();
    switch (s) {
      case APP, INSTANCE -> {
        App a = apps.get(required("app", app));
        match.put("app", a.name());
        if (s == Scope.INSTANCE) {
          match.put("instance", required("instance", instance));
        }
      }
      case NODE, CLUSTER -> {
        access.require(Permission.CLUSTER_READ, null);
        match.put("cluster", required("cluster", cluster));
        if (s == Scope.NODE) {
          match.put("node", required("node", node));
        }
      }
    }
    return data.chart(s, c, match, w);
  }

  @GetMapping("/apps/{app}/instances/{instance}")
  public String instance(@PathVariable String app, @PathVariable String instance, Model model) {
    App a = apps.get(app);
    Instance i =
        apps.instances(app).stream()
            .filter(x -> x.id().equals(instance))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("instance", instance));
    model.addAttribute("app", a);
    model.addAttribute("instance", i);
    return "charts/instance";
  }

  @GetMapping("/nodes/{cluster}/{node}")
  public String node(@PathVariable String cluster, @PathVariable String node, Model model) {
    access.require(Permission.CLUSTER_READ, null);
    NodeInfo n =
        runtime(cluster).nodes().stream()
            .filter(x -> x.name().equals(node))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("node", node));
    NodeReading reading = NodeReading.NONE;
    String unavailable = null;
    try {
      reading = nodeMetrics.readings(cluster).getOrDefault(node, NodeReading.NONE);
    } catch (RuntimeException e) {
      unavailable = "Measurements unavailable: " + e.getMessage();
    }
    model.addAttribute("node", n);
    model.addAttribute("headroom", Headroom.of(n, reading));
    model.addAttribute("unavailable", unavailable);
    return "charts/node";
  }

  @GetMapping("/clusters/{cluster}")
  public String cluster(@PathVariable String cluster, Model model) {
    access.require(Permission.CLUSTER_READ, null);
    List<NodeInfo> nodes = runtime(cluster).nodes();
    model.addAttribute("cluster", cluster);
    model.addAttribute("nodes", nodes);
    model.addAttribute("canInspect", access.caller().can(Permission.INSPECTION_READ, null));
    return "charts/cluster";
  }

  private ClusterRuntime runtime(String cluster) {
    return clusters.runtime(cluster).orElseThrow(() -> new NotFoundException("cluster", cluster));
  }

  private static Scope scope(String scope) {
    try {
      return Scope.valueOf(scope.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("scope", "must be app, instance, node or cluster");
    }
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ValidationException.of(field, "is required");
    }
    return value;
  }
}
