package dev.berth.core.traffic;

import java.util.List;
import java.util.function.Consumer;

/** Discovery: every app's endpoints, and a way to follow their changes. */
public interface Endpoints {
  /** Every instance of the app with its traffic state (serving or not). */
  List<Endpoint> of(String app);

  /**
   * Calls {@code changed} with an app's name whenever the endpoints of that app change. Returns the
   * handle that stops the calls.
   */
  AutoCloseable watch(Consumer<String> changed);
}
