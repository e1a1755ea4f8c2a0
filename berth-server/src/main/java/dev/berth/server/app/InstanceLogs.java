package dev.berth.server.app;

import dev.berth.core.runtime.LogLine;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * The live log tail of one instance, or of the whole app (every instance merged by time, each line
 * with its instance's name): a panel ({@code GET .../log}) whose lines arrive as server-sent events
 * ({@code GET .../log/stream}, event {@code line}, data one escaped HTML line with the time of
 * day). The last {@value #TAIL} lines first, then new ones until the browser goes away.
 */
@Controller
@RequestMapping("/apps/{app}")
public class InstanceLogs {
  static final int TAIL = 200;
  private static final Logger LOG = LoggerFactory.getLogger(InstanceLogs.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final int HEARTBEAT_POLLS = 15;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private final AppOperations apps;

  public InstanceLogs(AppOperations apps) {
    this.apps = apps;
  }

  @GetMapping("/instances/{id}/log")
  public String panel(@PathVariable String app, @PathVariable String id, Model model) {
    apps.get(app);
    model.addAttribute("app", app);
    model.addAttribute("wholeApp", false);
    model.addAttribute("title", id);
    model.addAttribute("streamUrl", "/apps/" + app + "/instances/" + id + "/log/stream");
    return "apps/log :: panel";
  }

  @GetMapping("/log")
  public String appPanel(@PathVariable String app, Model model) {
    apps.get(app);
    model.addAttribute("app", app);
    model.addAttribute("wholeApp", true);
    model.addAttribute("title", "all instances of " + app);
    model.addAttribute("streamUrl", "/apps/" + app + "/log/stream");
    return "apps/log :: panel";
  }

  @GetMapping("/instances/{id}/log/stream")
  public SseEmitter stream(@PathVariable String app, @PathVariable String id) {
    return emit(apps.logs(app, id, new LogQuery(TAIL, true)), id);
  }

  @GetMapping("/log/stream")
  public SseEmitter appStream(@PathVariable String app) {
    return emit(apps.appLogs(app, new LogQuery(TAIL, true)), app);
  }

  private static SseEmitter emit(LogStream stream, String name) {
    SseEmitter emitter = new SseEmitter(0L);
    AtomicBoolean open = new AtomicBoolean(true);
    emitter.onCompletion(() -> open.set(false));
    emitter.onTimeout(() -> open.set(false));
    emitter.onError(e -> open.set(false));
    Thread.ofVirtual().name("log-tail-" + name).start(() -> pump(stream, emitter, open));
    return emitter;
  }

  /**
   * One line as HTML: the instance (in the whole app's log), the time of day, the text; stderr
   * marked.
   */
  static String html(LogLine l) {
    String time =
        l.time() == null ? "" : "<span class=\"muted\">" + TIME.format(l.time()) + "</span> ";
    String source =
        l.source() == null ? "" : "<strong>" + HtmlUtils.htmlEscape(l.source()) + "</strong> ";
    String css = LogLine.STDERR.equals(l.stream()) ? " class=\"stderr\"" : "";
    return "<div" + css + ">" + source + time + HtmlUtils.htmlEscape(l.text()) + "</div>";
  }

  private static void pump(LogStream stream, SseEmitter emitter, AtomicBoolean open) {
    try (stream) {
      int idle = 0;
      while (open.get() && !stream.ended()) {
        Optional<LogLine> line = stream.next(POLL);
        if (line.isPresent()) {
          idle = 0;
          emitter.send(SseEmitter.event().name("line").data(html(line.get())));
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
