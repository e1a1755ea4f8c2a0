package dev.berth.runtime.local;

import dev.berth.core.app.Resources;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything that decides one container's runc config, already resolved: a value, so that {@link
 * BundleSpec#configJson} stays a pure function.
 *
 * @param init the static init binary to bind-mount at {@code /.berth/init}, or null to run {@code
 *     args} directly
 * @param cpus the cpuset ({@code "0,1"}) for dedicated CPUs, or null
 * @param oomScoreAdjFloor the lowest {@code oom_score_adj} this host lets Berth give ({@link
 *     HostInfo#oomScoreAdjFloor()}); a class's value below it is raised to it
 */
record ContainerPlan(
    String id,
    Path rootfs,
    List<String> args,
    List<String> env,
    String cwd,
    int uid,
    int gid,
    String netnsPath,
    Path hostsFile,
    Path resolvConf,
    Path init,
    Resources resources,
    String cpus,
    String cgroupsPath,
    boolean dropAllCapabilities,
    int oomScoreAdjFloor) {
  /** A plan with the default capabilities. */
  ContainerPlan(
      String id,
      Path rootfs,
      List<String> args,
      List<String> env,
      String cwd,
      int uid,
      int gid,
      String netnsPath,
      Path hostsFile,
      Path resolvConf,
      Path init,
      Resources resources,
      String cpus,
      String cgroupsPath) {
    this(
        id,
        rootfs,
        args,
        env,
        cwd,
        uid,
        gid,
        netnsPath,
        hostsFile,
        resolvConf,
        init,
        resources,
        cpus,
        cgroupsPath,
        false,
        HostInfo.NO_OOM_SCORE_ADJ_FLOOR);
  }

  /** The QoS tuning of this container on this host. */
  QosTuning qos() {
    return QosTuning.of(resources, oomScoreAdjFloor);
  }

  ContainerPlan {
    args = List.copyOf(args);
    env = List.copyOf(env);
  }
}
