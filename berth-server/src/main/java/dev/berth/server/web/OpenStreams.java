package dev.berth.server.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The responses that stay open until the client hangs up — followed logs, server-sent events,
 * long-polls — ended when Berth stops. The web server's graceful shutdown waits for open requests;
 * without this, one browser tab following a log would hold every stop for the whole shutdown
 * timeout. Clients of these streams reconnect (an {@code EventSource} does so by itself), so ending
 * them loses nothing. Plain requests still get the graceful shutdown's time to finish.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class OpenStreams extends OncePerRequestFilter
    implements ApplicationListener<ContextClosedEvent> {
  private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);
  private final Set<AsyncContext> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(request, response);
    if (request.isAsyncStarted()) {
      AsyncContext stream = request.getAsyncContext();
      open.add(stream);
      stream.addListener(new Forget());
      if (closing) {
        end(stream);
      }
    }
  }

  /** How many streams are open now. */
  public int count() {
    return open.size();
  }

  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    closing = true;
    if (!open.isEmpty()) {
      log.info("stopping: ending {} open stream(s)", open.size());
    }
    open.forEach(this::end);
  }

  private void end(AsyncContext stream) {
    open.remove(stream);
    try {
      stream.complete();
    } catch (IllegalStateException alreadyDone) {
      // the stream ended by itself meanwhile
    }
  }

  /** Drops a stream from the set when it ends by itself. */
  private final class Forget implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      open.remove(event.getAsyncContext());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      open.remove(event.getAsyncContext());
    }

    @Override
    public void onError(AsyncEvent event) {
      open.remove(event.getAsyncContext());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // the same stream started again: it stays in the set
    }
  }
}
