package dev.berth.runtime.local;

/** The resolv.conf a container gets. Pure. */
final class ResolvConf {
  private ResolvConf() {}

  /**
   * The host's resolv.conf with {@code nameserver} as its only name server (the host's {@code
   * search} and {@code options} lines stay); the host's as it is when {@code nameserver} is null.
   */
  static String of(String host, String nameserver) {
    if (nameserver == null) {
      return host;
    }
    StringBuilder out = new StringBuilder("nameserver ").append(nameserver).append('\n');
    host.lines()
        .filter(l -> !l.strip().startsWith("nameserver"))
        .filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
        .forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }
}
