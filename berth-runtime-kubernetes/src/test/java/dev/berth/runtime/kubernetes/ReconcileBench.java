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
 * bench/kubernetes-reconcile.sh: applies N apps to the mock API server, waits until the informers hold
 * them all, then runs a full reconcile pass (applyApp for every app) and counts the requests it sends
 * (want: zero). The peer is a plain read-and-compare pass (GET each object), measured in the same run.
 * Prints apply and reconcile time per app and the controller's heap per app (heap with the runtime's
 * informers minus heap after closing them).
 */
public final class ReconcileBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.WARNING);
    for (var h : root.getHandlers()) {
      h.setLevel(java.util.logging.Level.WARNING);
    }
    try (ApiServer api = new ApiServer(); KubernetesClient reader = api.clientWithoutRetries()) {
      KubernetesRuntime[] holder = {null};
      holder[0] = new KubernetesRuntime(api.clientWithoutRetries(),
          new KubernetesRuntime.Options("bench", "apps", false, Duration.ofMinutes(10), 4, Duration.ofMillis(50)), new SystemScheduler("bench"));
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
      KubernetesRuntime settling = runtime;
      int count = n;
      org.awaitility.Awaitility.await("informers to cache " + n + " StatefulSets and Services").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
          .until(() -> settling.watchers().statefulSets.getStore().list().size() >= count && settling.watchers().services.getStore().list().size() >= count);
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
      long withRuntime = heapAfterGc();
      holder[0].close();
      holder[0] = null;
      long without = heapAfterGc();
      double kibPerApp = Math.max(0, withRuntime - without) / 1024.0 / n;

      System.out.printf(Locale.ROOT, "apps applied:                 %d (first apply %.1f s, %.2f ms/app, %d writes)%n", n, applyMs / 1000, applyMs / n, writesBefore);
      System.out.printf(Locale.ROOT, "settled reconcile pass:       %d writes, %d requests, %.3f ms/app (%.0f ms total)%n", passWrites, passRequests, passMs / n, passMs);
      System.out.printf(Locale.ROOT, "peer (GET and compare) pass:  %d requests, %.3f ms/app (%.0f ms total)%n", peerRequests, peerMs / n, peerMs);
      System.out.printf(Locale.ROOT, "controller heap per app:      %.1f KiB (informer caches + desired state, %d apps)%n", kibPerApp, n);
      System.out.printf(Locale.ROOT, "ratio reconcile/peer time:    %.3f%n", passMs / peerMs);
      if (passWrites != 0 || passRequests != 0) {
        System.out.println("FAIL: a settled reconcile pass must send no requests");
        System.exit(1);
      }
    }
    System.exit(0);
  }

  private static long heapAfterGc() {
    var mem = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc(); // a synchronous full collection with the default collector
      best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
    }
    return best;
  }
}
