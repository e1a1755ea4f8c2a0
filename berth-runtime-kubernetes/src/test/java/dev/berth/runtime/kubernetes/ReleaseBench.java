package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.time.SystemScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/release-kubernetes.sh: N apps of 4 instances, each with a release in progress on the mock
 * API server (the partition mid-way at 2; every fourth app a gray release with ordinal 0 chosen to
 * go first, which Berth drives itself with OnDelete), their pods on the revisions the workloads
 * say. Once the informers hold everything, a full reconcile pass (applyApp for every app, the
 * release paused where it is) must send no request. Beside it, from the same run: the pass that
 * promotes every release by one batch (partition 2 to 1), one write per app (the StatefulSet's
 * partition, or for a gray release the one pod Berth deletes); and the controller's heap per app
 * (heap with the runtime minus heap after closing it).
 */
public final class ReleaseBench {
  private static final int INSTANCES = 4;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    try (ApiServer api = new ApiServer();
        KubernetesClient seeder = api.clientWithoutRetries()) {
      KubernetesRuntime[] holder = {
        new KubernetesRuntime(
            api.clientWithoutRetries(),
            new KubernetesRuntime.Options(
                "bench", "apps", false, Duration.ofMinutes(10), 4, Duration.ofMillis(50)),
            new SystemScheduler("bench"))
      };
      List<AppWorkload> paused = new ArrayList<>(n);
      List<AppWorkload> promoted = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String app = String.format(Locale.ROOT, "app-%04d", i);
        Integer[] chosen = i % 4 == 0 ? new Integer[] {0} : new Integer[0];
        paused.add(Specs.release(app, INSTANCES, 2, chosen));
        promoted.add(Specs.release(app, INSTANCES, 1, chosen));
      }
      long t0 = System.nanoTime();
      for (AppWorkload w : paused) {
        holder[0].applyApp(w);
        for (int o = 0; o < INSTANCES; o++) {
          long revision = w.updated(o) ? w.updateRevision() : w.currentRevision();
          seeder.resource(Pods.pod(w.app(), o, revision, "Running", true, 0)).create();
        }
      }
      double seedMs = (System.nanoTime() - t0) / 1e6;
      ReconcileBench.awaitCached(holder[0], n);
      awaitPods(holder[0], n * INSTANCES);

      long writes = holder[0].writes();
      int requests = api.requests();
      long t1 = System.nanoTime();
      for (AppWorkload w : paused) {
        holder[0].applyApp(w);
      }
      double pausedMs = (System.nanoTime() - t1) / 1e6;
      long pausedWrites = holder[0].writes() - writes;
      int pausedRequests = api.requests() - requests;

      // The peer: every release promoted by one batch. Plain ones write the StatefulSet's new
      // partition; gray ones leave their OnDelete StatefulSet as it is and delete one pod (ordinal
      // 1), which nobody recreates here. One write per app either way.
      writes = holder[0].writes();
      requests = api.requests();
      long t2 = System.nanoTime();
      for (AppWorkload w : promoted) {
        holder[0].applyApp(w);
      }
      double promoteMs = (System.nanoTime() - t2) / 1e6;
      long promoteWrites = holder[0].writes() - writes;
      int promoteRequests = api.requests() - requests;

      double kibPerApp = ReconcileBench.heapHeldBy(holder) / 1024.0 / n;

      System.out.printf(
          Locale.ROOT,
          "%d apps x %d instances with a release in progress (partition 2; %d gray with a chosen"
              + " instance, OnDelete), mock API server on 127.0.0.1%n",
          n,
          INSTANCES,
          (n + 3) / 4);
      System.out.printf(
          Locale.ROOT, "seeding (apply + %d pods):  %.2f ms/app%n", INSTANCES, seedMs / n);
      System.out.printf(
          Locale.ROOT,
          "settled pass, paused:       %.3f ms/app, %d requests, %d writes | promote one batch: %.3f ms/app, %d requests, %d writes%n",
          pausedMs / n,
          pausedRequests,
          pausedWrites,
          promoteMs / n,
          promoteRequests,
          promoteWrites);
      System.out.printf(
          Locale.ROOT,
          "controller heap:            %.1f KiB/app (informers incl. %d pods per app + desired state)%n",
          kibPerApp,
          INSTANCES);
      if (pausedWrites != 0 || pausedRequests != 0) {
        System.out.println("FAIL: a settled pass over paused releases must send no requests");
        System.exit(1);
      }
    }
    System.exit(0);
  }

  private static void awaitPods(KubernetesRuntime runtime, int pods) {
    org.awaitility.Awaitility.await("informers to cache " + pods + " pods")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> runtime.watchers().pods.getStore().list().size() >= pods);
  }
}
