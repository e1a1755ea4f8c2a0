package dev.berth.server.app;

import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.util.HtmlUtils;

/**
 * The live log tail of one instance: a panel ({@code GET .../log}) whose lines arrive as server-sent
 * events ({@code GET .../log/stream}, event {@code line}, data one escaped HTML line). The last
 * {@value #TAIL} lines first, then new ones until the browser goes away.
 */
@Controller
@RequestMapping("/apps/{app}/instances/{id}/log")
public class InstanceLogs {
  static final int TAIL = 200;
  private static final Logger LOG = LoggerFactory.getLogger(InstanceLogs.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final int HEARTBEAT_POLLS = 15;
  private final AppOperations apps;

  public InstanceLogs(AppOperations apps) {
    this.apps = apps;
  }

  @GetMapping
  public String panel(@PathVariable String app, @PathVariable String id, Model model) {
    apps.get(app);
    model.addAttribute("app", app);
    model.addAttribute("id", id);
    return "apps/log :: panel";
  }

  @GetMapping("/stream")
  public SseEmitter stream(@PathVariable String app, @PathVariable String id) {
    LogStream stream = apps.logs(app, id, new LogQuery(TAIL, true));
    SseEmitter emitter = new SseEmitter(0L);
    AtomicBoolean open = new AtomicBoolean(true);
    emitter.onCompletion(() -> open.set(false));
    emitter.onTimeout(() -> open.set(false));
    emitter.onError(e -> open.set(false));
    Thread.ofVirtual().name("log-tail-" + id).start(() -> pump(stream, emitter, open));
    return emitter;
  }

  private static void pump(LogStream stream, SseEmitter emitter, AtomicBoolean open) {
    try (stream) {
      int idle = 0;
      while (open.get() && !stream.ended()) {
        Optional<String> line = stream.next(POLL);
        if (line.isPresent()) {
          idle = 0;
          emitter.send(SseEmitter.event().name("line").data("<div>" + HtmlUtils.htmlEscape(line.get()) + "</div>"));
        } else if (++idle >= HEARTBEAT_POLLS) {
          idle = 0;
          emitter.send(SseEmitter.event().comment("heartbeat"));
        }
      }
      emitter.complete();
    } catch (IOException | IllegalStateException e) {
      LOG.debug("log tail closed: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
