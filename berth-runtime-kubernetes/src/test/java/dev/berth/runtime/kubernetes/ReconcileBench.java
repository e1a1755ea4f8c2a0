package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.time.SystemScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/kubernetes-reconcile.sh: applies N apps to the mock API server, waits until the informers
 * hold them all, then runs a full reconcile pass (applyApp for every app) and counts the requests
 * it sends (want: zero). Every figure is printed beside its peer measured in the same run: the
 * first apply beside a plain create of the same objects, the settled pass beside a read-and-compare
 * pass (GET each object), the controller's heap per app (heap with the runtime minus heap after
 * closing it) beside the heap of two bare informers on the same StatefulSets and Services.
 */
public final class ReconcileBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.WARNING);
    for (var h : root.getHandlers()) {
      h.setLevel(java.util.logging.Level.WARNING);
    }
    try (ApiServer api = new ApiServer();
        KubernetesClient reader = api.clientWithoutRetries()) {
      KubernetesRuntime[] holder = {null};
      holder[0] =
          new KubernetesRuntime(
              api.clientWithoutRetries(),
              new KubernetesRuntime.Options(
                  "bench", "apps", false, Duration.ofMinutes(10), 4, Duration.ofMillis(50)),
              new SystemScheduler("bench"));
      KubernetesRuntime runtime = holder[0];
      List<AppWorkload> apps = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        apps.add(Specs.settled(String.format(Locale.ROOT, "app-%04d", i), 1 + i % 3, Specs.full()));
      }
      long t0 = System.nanoTime();
      for (AppWorkload w : apps) {
        runtime.applyApp(w);
      }
      double applyMs = (System.nanoTime() - t0) / 1e6;

      long tc = System.nanoTime();
      for (AppWorkload w : apps) {
        for (var o : Manifests.forApp(w, new Manifests.Target("peer", false, null))) {
          reader.resource(o).create();
        }
      }
      double createMs = (System.nanoTime() - tc) / 1e6;
      awaitCached(runtime, n);
      long writesBefore = runtime.writes();
      int requestsBefore = api.requests();
      long t1 = System.nanoTime();
      for (AppWorkload w : apps) {
        runtime.applyApp(w);
      }
      double passMs = (System.nanoTime() - t1) / 1e6;
      long passWrites = runtime.writes() - writesBefore;
      int passRequests = api.requests() - requestsBefore;

      int peerBefore = api.requests();
      long t2 = System.nanoTime();
      for (AppWorkload w : apps) {
        reader.apps().statefulSets().inNamespace("apps").withName(w.app()).get();
        reader.services().inNamespace("apps").withName(w.app()).get();
      }
      double peerMs = (System.nanoTime() - t2) / 1e6;
      int peerRequests = api.requests() - peerBefore;

      runtime = null;
      double kibPerApp = heapHeldBy(holder) / 1024.0 / n;
      double peerKibPerApp = bareInformersKibPerApp(reader, n);

      System.out.printf(
          Locale.ROOT,
          "%d apps, mock API server on 127.0.0.1, each figure | its peer in this run%n",
          n);
      System.out.printf(
          Locale.ROOT,
          "first apply:             %.2f ms/app (%d writes) | plain create of the same objects: %.2f ms/app (ratio %.2f)%n",
          applyMs / n,
          writesBefore,
          createMs / n,
          applyMs / createMs);
      System.out.printf(
          Locale.ROOT,
          "settled reconcile pass:  %.3f ms/app, %d requests, %d writes | GET and compare: %.3f ms/app, %d requests (ratio %.3f)%n",
          passMs / n,
          passRequests,
          passWrites,
          peerMs / n,
          peerRequests,
          passMs / peerMs);
      System.out.printf(
          Locale.ROOT,
          "controller heap:         %.1f KiB/app (all informers + desired state) | two bare informers (StatefulSets, Services): %.1f KiB/app%n",
          kibPerApp,
          peerKibPerApp);
      if (passWrites != 0 || passRequests != 0) {
        System.out.println("FAIL: a settled reconcile pass must send no requests");
        System.exit(1);
      }
    }
    System.exit(0);
  }

  /**
   * No local variable of main may keep the runtime reachable, or closing it frees nothing to
   * measure.
   */
  static void awaitCached(KubernetesRuntime runtime, int n) {
    org.awaitility.Awaitility.await("informers to cache " + n + " StatefulSets and Services")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                runtime.watchers().statefulSets.getStore().list().size() >= n
                    && runtime.watchers().services.getStore().list().size() >= n);
  }

  /**
   * Heap per app of two plain informers on the StatefulSets and Services of the namespace "apps".
   */
  private static double bareInformersKibPerApp(KubernetesClient client, int n) {
    long before = heapAfterGc();
    var sts = client.apps().statefulSets().inNamespace("apps").inform();
    var svc = client.services().inNamespace("apps").inform();
    org.awaitility.Awaitility.await("bare informers to cache " + n + " StatefulSets and Services")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> sts.getStore().list().size() >= n && svc.getStore().list().size() >= n);
    long with = heapAfterGc();
    sts.close();
    svc.close();
    return Math.max(0, with - before) / 1024.0 / n;
  }

  /**
   * The heap the runtime in {@code holder[0]} holds: heap with it minus heap once it is closed and
   * collected. Empties the holder; no other reference to the runtime may be left.
   */
  static long heapHeldBy(KubernetesRuntime[] holder) {
    long withRuntime = heapAfterGc();
    java.lang.ref.WeakReference<KubernetesRuntime> gone =
        new java.lang.ref.WeakReference<>(holder[0]);
    holder[0].close();
    holder[0] = null;
    // Its threads end a moment after close(); until then they keep it reachable.
    org.awaitility.Awaitility.await("the closed runtime to be collected")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              System.gc();
              return gone.get() == null;
            });
    return Math.max(0, withRuntime - heapAfterGc());
  }

  static long heapAfterGc() {
    var mem = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc(); // a synchronous full collection with the default collector
      best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
    }
    return best;
  }
}
