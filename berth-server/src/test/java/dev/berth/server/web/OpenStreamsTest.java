package dev.berth.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A followed log or an event stream stays open until its client hangs up; when Berth stops, it is
 * ended so the stop does not wait out the shutdown timeout for a browser tab.
 */
class OpenStreamsTest {
  final OpenStreams streams = new OpenStreams();

  MockHttpServletRequest follow() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/events");
    request.setAsyncSupported(true);
    streams.doFilter(
        request, new MockHttpServletResponse(), (req, res) -> req.startAsync(req, res));
    return request;
  }

  @Test
  void aStopEndsEveryOpenStream() throws Exception {
    MockHttpServletRequest first = follow();
    MockHttpServletRequest second = follow();
    assertThat(streams.count()).isEqualTo(2);
    assertThat(first.isAsyncStarted()).isTrue();

    streams.onApplicationEvent(new ContextClosedEvent(new StaticApplicationContext()));

    assertThat(first.isAsyncStarted()).isFalse();
    assertThat(second.isAsyncStarted()).isFalse();
    assertThat(streams.count()).isZero();
  }

  @Test
  void aStreamThatEndsByItselfIsForgottenAndPlainRequestsAreNotTracked() throws Exception {
    MockHttpServletRequest stream = follow();
    stream.getAsyncContext().complete();
    streams.doFilter(
        new MockHttpServletRequest("GET", "/api/v1/apps"),
        new MockHttpServletResponse(),
        (req, res) -> {});

    assertThat(streams.count()).isZero();
  }

  @Test
  void aStreamOpenedWhileStoppingIsEndedAtOnce() throws Exception {
    streams.onApplicationEvent(new ContextClosedEvent(new StaticApplicationContext()));

    assertThat(follow().isAsyncStarted()).isFalse();
  }
}
