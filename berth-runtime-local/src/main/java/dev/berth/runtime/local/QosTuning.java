package dev.berth.runtime.local;

import dev.berth.core.app.Resources;

/**
 * How an instance's QoS class ranks it on this machine (docs/adr/0032): its CPU shares (cgroup v1
 * {@code cpu.shares}; runc turns them into v2's {@code cpu.weight}) and the {@code oom_score_adj}
 * of its processes.
 *
 * <ul>
 *   <li>{@code guaranteed}: shares from the guarantee (1024 per core), {@code oom_score_adj} -500:
 *       the kernel kills it after everything else Berth runs and after ordinary host processes, yet
 *       not never (-1000 would make it immune).
 *   <li>{@code burstable}: shares from the guarantee, at least {@link #ONLINE_MIN_SHARES} so that
 *       an online service always outweighs best-effort work; {@code oom_score_adj} 500.
 *   <li>{@code best-effort} (and offline task runs, which run best effort): the kernel's smallest
 *       share, 2 (v2 weight 1), and {@code oom_score_adj} 1000, the first to be killed.
 * </ul>
 *
 * @param cpuShares the OCI {@code linux.resources.cpu.shares}
 * @param oomScoreAdj the OCI {@code process.oomScoreAdj}
 */
record QosTuning(long cpuShares, int oomScoreAdj) {
  static final long BEST_EFFORT_SHARES = 2;
  static final long ONLINE_MIN_SHARES = 64;
  static final int GUARANTEED_OOM_SCORE_ADJ = -500;
  static final int BURSTABLE_OOM_SCORE_ADJ = 500;
  static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

  /**
   * The tuning for resources {@code r} by their (chosen or derived) class, with no {@code
   * oom_score_adj} below {@code floor}.
   */
  static QosTuning of(Resources r, int floor) {
    long fromGuarantee = Math.max(ONLINE_MIN_SHARES, Math.round(r.cpu() * 1024));
    return switch (r.qosClass()) {
      case GUARANTEED -> new QosTuning(fromGuarantee, Math.max(floor, GUARANTEED_OOM_SCORE_ADJ));
      case BURSTABLE -> new QosTuning(fromGuarantee, BURSTABLE_OOM_SCORE_ADJ);
      case BEST_EFFORT -> new QosTuning(BEST_EFFORT_SHARES, BEST_EFFORT_OOM_SCORE_ADJ);
    };
  }
}
