package dev.berth.cli;

import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Checks a server and token with one call, then saves them as a context and makes it current. */
@Command(
    name = "login",
    description = "Save a server and token as a context (in ~/.config/berth/config) and use it.")
final class LoginCommand implements Callable<Integer> {
  @Mixin Common common;

  @Option(names = "--server", required = true, description = "e.g. http://127.0.0.1:8080")
  String server;

  @Option(names = "--token", required = true, description = "an API token (Bearer)")
  String token;

  @Option(names = "--name", description = "the context's name (default: the server's host:port)")
  String name;

  @Override
  public Integer call() {
    String url = Target.stripSlash(server);
    String context = name != null ? name : contextName(url);
    new Api(new Target(url, token)).get("/api/v1/apps?size=1");
    Io io = common.io();
    Contexts.read(io.configFile())
        .with(new Contexts.Context(context, url, token))
        .write(io.configFile());
    io.out().println("Logged in to " + url + " (context '" + context + "')");
    return 0;
  }

  static String contextName(String url) {
    try {
      URI u = URI.create(url);
      if (u.getHost() == null) {
        throw new CliException(
            "--server must be a URL like http://127.0.0.1:8080, was '" + url + "'");
      }
      return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "--server must be a URL like http://127.0.0.1:8080, was '" + url + "'");
    }
  }
}
