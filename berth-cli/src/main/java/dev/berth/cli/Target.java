package dev.berth.cli;

import java.util.Optional;

/**
 * Where a command goes: the server and token of the named context (else the current one), each
 * overridden by {@code BERTH_SERVER} and {@code BERTH_TOKEN} in the environment.
 */
record Target(String server, String token) {

  static final String HOW =
      "run 'berth login --server URL --token TOKEN' or set BERTH_SERVER and BERTH_TOKEN";

  static Target resolve(Io io, String contextName) {
    Contexts contexts = Contexts.read(io.configFile());
    String name = contextName != null ? contextName : contexts.current();
    Optional<Contexts.Context> context = name == null ? Optional.empty() : contexts.find(name);
    if (contextName != null && context.isEmpty()) {
      throw new CliException(
          "no context named '" + contextName + "'; 'berth context list' shows the contexts");
    }
    String server =
        env(io, "BERTH_SERVER").or(() -> context.map(Contexts.Context::server)).orElse(null);
    String token =
        env(io, "BERTH_TOKEN").or(() -> context.map(Contexts.Context::token)).orElse(null);
    if (server == null) {
      throw new CliException("no Berth server configured: " + HOW);
    }
    if (token == null) {
      throw new CliException("no token for " + server + ": " + HOW);
    }
    return new Target(stripSlash(server), token);
  }

  static String stripSlash(String server) {
    return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  private static Optional<String> env(Io io, String name) {
    return Optional.ofNullable(io.env().get(name)).filter(v -> !v.isBlank());
  }
}
