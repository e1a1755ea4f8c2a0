package dev.berth.server.terminal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.time.Scheduler;
import dev.berth.server.access.Access;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.cluster.Clusters;
import dev.berth.server.event.EventService;
import dev.berth.server.support.exec.ExecLimitProperties;
import dev.berth.server.support.exec.ExecLimiter;
import dev.berth.server.task.TaskOperations;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Wires web terminals: the grants, the registry of open terminals (closing idle ones and those
 * whose instance stopped every {@code berth.terminal.check-period}) and the two sockets, {@code
 * /api/v1/apps/{app}/instances/{instance}/terminal} and {@code /api/v1/runs/{run}/terminal}. Only
 * pages of Berth's own origin may open them from a browser (Spring's same-origin check); the CLI
 * sends no Origin.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TerminalProperties.class)
public class TerminalConfig {
  @Bean
  TerminalOperations terminalOperations(
      AppOperations apps,
      TaskOperations tasks,
      Access access,
      AuditLog audit,
      EventService events,
      Clock clock,
      JdbcOpenTerminals open) {
    return new TerminalOperations(apps, tasks, access, audit, events, clock, open);
  }

  @Bean
  JdbcOpenTerminals openTerminals(
      JdbcClient jdbc, TerminalProperties properties, @Value("${server.port:8080}") String port) {
    String berth = properties.berthId();
    if (berth == null || berth.isBlank()) {
      berth = hostName() + ":" + port;
    }
    return new JdbcOpenTerminals(jdbc, berth);
  }

  /** Closes the terminals an earlier stop of Berth cut once Berth is up, then beats. */
  @Bean(destroyMethod = "close")
  LeftTerminals leftTerminals(
      JdbcOpenTerminals open,
      TerminalOperations terminals,
      Scheduler scheduler,
      TerminalProperties properties) {
    return new LeftTerminals(
        new LeftTerminals.Parts(
            open, terminals, scheduler, properties.checkPeriod(), properties.goneAfter()));
  }

  @EventListener(ApplicationReadyEvent.class)
  void closeLeftTerminals(ApplicationReadyEvent ready) {
    ready.getApplicationContext().getBean(LeftTerminals.class).start();
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  @Bean
  InstanceExec instanceExec(
      TerminalOperations terminals,
      Clusters clusters,
      Access access,
      AuditLog audit,
      EventService events,
      ExecLimiter limiter,
      Clock clock) {
    return new InstanceExec(
        new InstanceExec.Parts(terminals, clusters, access, audit, events, limiter, clock));
  }

  @Bean(destroyMethod = "close")
  TerminalSessions terminalSessions(
      Scheduler scheduler,
      TerminalProperties properties,
      Clusters clusters,
      TerminalOperations terminals) {
    return new TerminalSessions(
        new TerminalSessions.Parts(
            scheduler,
            properties.idleTimeout(),
            properties.checkPeriod(),
            s ->
                clusters
                    .require(s.target().cluster())
                    .openTerminal(s.target().name(), properties.command(), s.columns(), s.rows()),
            t -> clusters.runtime(t.cluster()).map(t::alive).orElse(false),
            terminals::ended));
  }

  /** The sockets; a class of its own so that it can take the beans above. */
  @Configuration(proxyBeanMethods = false)
  @EnableWebSocket
  static class Sockets implements WebSocketConfigurer {
    private final TerminalSessions sessions;
    private final TerminalOperations terminals;
    private final ObjectMapper json;
    private final ExecLimitProperties limits;

    Sockets(
        TerminalSessions sessions,
        TerminalOperations terminals,
        ObjectMapper json,
        ExecLimitProperties limits) {
      this.sessions = sessions;
      this.terminals = terminals;
      this.json = json;
      this.limits = limits;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
      registry
          .addHandler(
              new TerminalHandler(sessions, json),
              TerminalProtocol.INSTANCE_PATH,
              TerminalProtocol.RUN_PATH)
          .addInterceptors(new TerminalHandshake(terminals, sessions, limits.terminals(), json));
    }
  }
}
