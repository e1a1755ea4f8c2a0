package dev.berth.runtime.local;

import java.nio.file.Path;

/**
 * Where one container's files live: the bundle directory (state, config.json, overlay dirs, exit
 * file, runc log) and the log directory that outlives the container. Instances: {@code
 * <dataDir>/instances/<app>/<id>} and {@code <dataDir>/logs/<app>/<id>}; task runs: {@code
 * <dataDir>/runs/<runId>/bundle} (next to the run's record {@code run.json}) and {@code
 * <dataDir>/logs/runs/<runId>}.
 */
record InstanceDirs(Path bundle, Path logDir) {
  static InstanceDirs of(Path dataDir, String app, String id) {
    return new InstanceDirs(
        dataDir.resolve("instances").resolve(app).resolve(id),
        dataDir.resolve("logs").resolve(app).resolve(id));
  }

  static InstanceDirs ofRun(Path dataDir, String runId) {
    return new InstanceDirs(
        dataDir.resolve("runs").resolve(runId).resolve("bundle"),
        dataDir.resolve("logs").resolve("runs").resolve(runId));
  }

  /** A run's record, outside its bundle so that it outlives the reclaim. */
  Path runRecord() {
    return bundle.resolveSibling("run.json");
  }

  Path state() {
    return bundle.resolve("state.json");
  }

  Path config() {
    return bundle.resolve("config.json");
  }

  Path rootfs() {
    return bundle.resolve("rootfs");
  }

  Path upper() {
    return bundle.resolve("upper");
  }

  Path work() {
    return bundle.resolve("work");
  }

  Path hosts() {
    return bundle.resolve("hosts");
  }

  Path resolvConf() {
    return bundle.resolve("resolv.conf");
  }

  Path exit() {
    return bundle.resolve("exit");
  }

  /** Where runc writes the container's pid once it runs: the sign that a start got through. */
  Path pidFile() {
    return bundle.resolve("pid");
  }

  Path runcLog() {
    return bundle.resolve("runc.log");
  }

  Path console() {
    return logDir.resolve(ConsoleLogs.NAME);
  }
}
