package dev.berth.server.gateway;

import dev.berth.core.app.Route;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The nginx configuration for a set of routes and mirrors: a pure function of its input, sorted, so
 * the same routes always give the same bytes (and no reload). Endpoints are not in it: each {@code
 * app.port} upstream is balanced by Lua from a shared dictionary ({@link EndpointTable}).
 */
public final class NginxConfig {
  /** Where the config's files live and where nginx listens. */
  public record Layout(Path dir, String listenAddress, int httpPort, String modules, int workers) {
    Path socket() {
      return dir.resolve("private/control.sock");
    }
  }

  /** One route of one app. */
  public record AppRoute(String app, Route route) {}

  /** Copies a sample of {@code app}'s requests to {@code target}'s port {@code port}. */
  public record MirrorRule(
      String app, String target, String port, int percent, long maxBodyBytes) {}

  private NginxConfig() {}

  /** The whole file of a Berth-managed nginx. */
  public static String main(Layout l, List<AppRoute> routes, List<MirrorRule> mirrors) {
    StringBuilder b = new StringBuilder();
    b.append("# Written by Berth from the apps' routes; changes here are overwritten.\n");
    b.append("load_module ").append(l.modules()).append("/ndk_http_module.so;\n");
    b.append("load_module ").append(l.modules()).append("/ngx_http_lua_module.so;\n");
    b.append("pid ").append(l.dir().resolve("nginx.pid")).append(";\n");
    b.append("error_log ").append(l.dir().resolve("error.log")).append(" notice;\n");
    b.append("worker_processes ").append(l.workers()).append(";\n");
    b.append("events { worker_connections 4096; }\n");
    b.append("http {\n");
    b.append("  access_log off;\n");
    b.append("  server_tokens off;\n");
    b.append("  server_names_hash_bucket_size 128;\n");
    b.append("  client_body_buffer_size 1m;\n");
    for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      b.append("  ").append(t).append("_temp_path ").append(l.dir().resolve("tmp/" + t));
      b.append(";\n");
    }
    b.append(http(l, routes, mirrors).indent(2));
    b.append("}\n");
    return b.toString();
  }

  /** What goes into an {@code http} block: Berth's part of an nginx someone else runs. */
  public static String http(Layout l, List<AppRoute> routes, List<MirrorRule> mirrors) {
    StringBuilder b = new StringBuilder();
    b.append("lua_package_path \"").append(l.dir().resolve("lua")).append("/?.lua;;\";\n");
    // Loaded by the master (root) and inherited by the workers, which may not be able to reach a
    // gateway directory inside Berth's private data directory.
    b.append("init_by_lua_block { require(\"berth\") }\n");
    b.append("lua_shared_dict berth_endpoints 8m;\n");
    b.append("lua_shared_dict berth_metrics 16m;\n");
    b.append("init_worker_by_lua_block { require(\"berth\").init_worker() }\n");
    Map<String, MirrorRule> mirrorOf = new TreeMap<>();
    mirrors.forEach(m -> mirrorOf.put(m.app(), m));
    Set<String> upstreams = new TreeSet<>();
    routes.forEach(r -> upstreams.add(upstream(r.app(), r.route().port())));
    mirrors.forEach(m -> upstreams.add(upstream(m.target(), m.port())));
    for (String u : upstreams) {
      b.append("upstream ").append(u).append(" {\n");
      b.append("  server 0.0.0.1;\n");
      b.append("  balancer_by_lua_block { require(\"berth\").balance() }\n");
      b.append("}\n");
    }
    Map<String, List<AppRoute>> byHost = new TreeMap<>();
    routes.stream()
        .sorted(Comparator.comparing((AppRoute r) -> r.route().claim()))
        .forEach(
            r -> byHost.computeIfAbsent(r.route().host(), h -> new java.util.ArrayList<>()).add(r));
    byHost.putIfAbsent("", List.of());
    for (Map.Entry<String, List<AppRoute>> e : byHost.entrySet()) {
      server(b, l, e.getKey(), e.getValue(), mirrorOf);
    }
    b.append("server {\n");
    b.append("  listen unix:").append(l.socket()).append(";\n");
    b.append("  access_log off;\n");
    b.append("  client_max_body_size 8m;\n");
    b.append("  client_body_buffer_size 8m;\n");
    b.append("  location = /endpoints {\n");
    b.append("    content_by_lua_block {\n");
    b.append("      local b = require(\"berth\")\n");
    b.append(
        "      if ngx.req.get_method() == \"POST\" then b.put_endpoints() else b.get_endpoints() end\n");
    b.append("    }\n");
    b.append("  }\n");
    b.append(
        "  location = /metrics { content_by_lua_block { require(\"berth\").get_metrics() } }\n");
    b.append("}\n");
    return b.toString();
  }

  /** The upstream (and shared-dictionary key) of an app's port: {@code shop.http}. */
  public static String upstream(String app, String port) {
    return app + "." + port;
  }

  private static void server(
      StringBuilder b,
      Layout l,
      String host,
      List<AppRoute> routes,
      Map<String, MirrorRule> mirrorOf) {
    b.append("server {\n");
    b.append("  listen ").append(l.listenAddress()).append(':').append(l.httpPort());
    b.append(host.isEmpty() ? " default_server;\n" : ";\n");
    b.append("  server_name ").append(host.isEmpty() ? "_" : host).append(";\n");
    boolean root = false;
    Set<String> mirrored = new TreeSet<>();
    for (AppRoute r : routes) {
      root |= r.route().path().equals("/");
      MirrorRule m = mirrorOf.get(r.app());
      b.append("  location ").append(r.route().path()).append(" {\n");
      String up = upstream(r.app(), r.route().port());
      b.append("    rewrite_by_lua_block { require(\"berth\").route(\"")
          .append(up)
          .append("\") }\n");
      b.append("    proxy_pass http://").append(up).append(";\n");
      proxyHeaders(b);
      b.append("    log_by_lua_block { require(\"berth\").log(\"")
          .append(r.app())
          .append("\") }\n");
      if (m != null) {
        b.append("    mirror /_berth/mirror/").append(r.app()).append(";\n");
        b.append("    mirror_request_body on;\n");
        mirrored.add(r.app());
      }
      b.append("  }\n");
    }
    for (String app : mirrored) {
      MirrorRule m = mirrorOf.get(app);
      // rewrite, not access: nginx skips the access phase of a subrequest such as a mirror's.
      b.append("  location = /_berth/mirror/").append(app).append(" {\n");
      b.append("    internal;\n");
      b.append("    rewrite_by_lua_block { require(\"berth\").sample(\"").append(app);
      b.append("\", ").append(m.percent()).append(", ").append(m.maxBodyBytes()).append(", \"");
      b.append(upstream(m.target(), m.port())).append("\") }\n");
      b.append("    proxy_pass http://").append(upstream(m.target(), m.port()));
      b.append("$request_uri;\n");
      proxyHeaders(b);
      b.append("    proxy_connect_timeout 2s;\n");
      b.append("    proxy_read_timeout 10s;\n");
      b.append("  }\n");
    }
    if (!root) {
      b.append("  location / { return 404; }\n");
    }
    b.append("}\n");
  }

  private static void proxyHeaders(StringBuilder b) {
    b.append("    proxy_http_version 1.1;\n");
    b.append("    proxy_set_header Connection \"\";\n");
    b.append("    proxy_set_header Host $host;\n");
    b.append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
    b.append("    proxy_set_header X-Forwarded-Proto $scheme;\n");
    b.append("    proxy_next_upstream error timeout;\n");
    // Large answers pass through instead of into temp files workers may not be able to write.
    b.append("    proxy_max_temp_file_size 0;\n");
  }
}
