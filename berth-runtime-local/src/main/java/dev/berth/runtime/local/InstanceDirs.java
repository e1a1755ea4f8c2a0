package dev.berth.runtime.local;

import java.nio.file.Path;

/**
 * Where one instance's files live: the bundle directory {@code <dataDir>/instances/<app>/<id>} (state,
 * config.json, overlay dirs, exit file, runc log) and the log directory {@code
 * <dataDir>/logs/<app>/<id>} that outlives the instance.
 */
record InstanceDirs(Path bundle, Path logDir) {
  static InstanceDirs of(Path dataDir, String app, String id) {
    return new InstanceDirs(dataDir.resolve("instances").resolve(app).resolve(id), dataDir.resolve("logs").resolve(app).resolve(id));
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

  Path runcLog() {
    return bundle.resolve("runc.log");
  }

  Path console() {
    return logDir.resolve(ConsoleLogs.NAME);
  }
}
