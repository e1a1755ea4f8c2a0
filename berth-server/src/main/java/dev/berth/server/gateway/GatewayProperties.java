package dev.berth.server.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The nginx gateway ({@code BERTH_GATEWAY_ENABLED}, {@code BERTH_GATEWAY_HTTP_PORT}, ...).
 *
 * @param enabled whether Berth drives an nginx at all
 * @param mode {@code managed}: Berth starts nginx and restarts it when it dies; {@code external}:
 *     an nginx someone else runs includes {@code <dir>/berth.conf} in its {@code http} block, and
 *     Berth only writes that file, tests and reloads
 * @param httpPort where the gateway listens for requests (managed mode)
 * @param listenAddress the address it listens on (managed mode)
 * @param dir the directory Berth owns: config, Lua module, control socket, pid file, logs ({@code
 *     <data-dir>/gateway} when empty)
 * @param nginx the nginx binary
 * @param modules where {@code ndk_http_module.so} and {@code ngx_http_lua_module.so} are (managed)
 * @param testCommand external mode: how to test the whole configuration
 * @param reloadCommand external mode: how to reload it
 * @param debounce how long a config change waits for further changes before it is written
 * @param syncEvery how often routes, endpoints and the nginx process are compared with what they
 *     should be
 * @param workers nginx worker processes (managed)
 * @param startGrace how long after Berth starts an upstream nginx serves is not emptied, while
 *     discovery probes again the adopted instances that could not keep their last readiness
 */
@ConfigurationProperties("berth.gateway")
public record GatewayProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("managed") String mode,
    @DefaultValue("8880") int httpPort,
    @DefaultValue("0.0.0.0") String listenAddress,
    Path dir,
    @DefaultValue("/usr/sbin/nginx") String nginx,
    @DefaultValue("/usr/lib/nginx/modules") String modules,
    @DefaultValue("nginx,-t") List<String> testCommand,
    @DefaultValue("nginx,-s,reload") List<String> reloadCommand,
    @DefaultValue("200ms") Duration debounce,
    @DefaultValue("1s") Duration syncEvery,
    @DefaultValue("1") int workers,
    @DefaultValue("30s") Duration startGrace) {

  boolean managed() {
    return !"external".equals(mode);
  }
}
