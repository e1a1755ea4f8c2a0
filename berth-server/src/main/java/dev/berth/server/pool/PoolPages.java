package dev.berth.server.pool;

import dev.berth.core.app.App;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.app.AppOperations;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The Machine pools page: a cluster's pools with bars of requested and used against allocatable
 * (CPU and memory) and a calculator of how many more instances of an app fit into a pool. Reads
 * through {@link PoolOperations}, as the API does.
 */
@Controller
public class PoolPages {
  private final PoolOperations pools;
  private final ClusterRegistry clusters;
  private final AppOperations apps;

  public PoolPages(PoolOperations pools, ClusterRegistry clusters, AppOperations apps) {
    this.pools = pools;
    this.clusters = clusters;
    this.apps = apps;
  }

  /** One bar: {@code value} of {@code max} as a width in percent (capped at 100). */
  public record Bar(String label, double value, double max, String unit) {
    public int percent() {
      return max <= 0 ? 0 : (int) Math.min(100, Math.round(value * 100 / max));
    }

    public String text() {
      return unit.equals("cores")
          ? String.format(java.util.Locale.ROOT, "%.2f of %.2f cores", value, max)
          : String.format(java.util.Locale.ROOT, "%.0f of %.0f MiB", value, max);
    }
  }

  /** A pool with its bars; used bars are absent when not measured. */
  public record Row(PoolJson pool, List<Bar> bars) {
    static Row of(PoolJson p) {
      List<Bar> bars = new java.util.ArrayList<>();
      double cpu = p.allocatable().cpu();
      double mem = p.allocatable().memoryMiB();
      bars.add(new Bar("CPU requested", p.requested().cpu(), cpu, "cores"));
      if (p.used() != null) {
        bars.add(new Bar("CPU used", p.used().cpu(), cpu, "cores"));
      }
      bars.add(new Bar("Memory requested", p.requested().memoryMiB(), mem, "MiB"));
      if (p.used() != null) {
        bars.add(new Bar("Memory used", p.used().memoryMiB(), mem, "MiB"));
      }
      return new Row(p, bars);
    }
  }

  @GetMapping("/pools")
  public String page(
      @RequestParam(defaultValue = "local") String cluster,
      @RequestParam(required = false) String pool,
      @RequestParam(required = false) String app,
      Model model) {
    List<PoolJson> list =
        clusters.runtime(cluster).isPresent() ? pools.list(cluster) : List.<PoolJson>of();
    model.addAttribute("cluster", cluster);
    model.addAttribute("clusters", clusters.clusters());
    model.addAttribute("rows", list.stream().map(Row::of).toList());
    model.addAttribute(
        "apps", apps.list("", 0, 200).items().stream().map(App::name).sorted().toList());
    model.addAttribute("fitPool", pool);
    model.addAttribute("fitApp", app);
    if (pool != null && !pool.isBlank() && app != null && !app.isBlank()) {
      try {
        model.addAttribute("fit", pools.fit(cluster, pool, app));
      } catch (NotFoundException | ValidationException e) {
        model.addAttribute("fitError", e.getMessage());
      }
    }
    return "pools/list";
  }
}
