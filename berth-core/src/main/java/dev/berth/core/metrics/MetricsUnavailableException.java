package dev.berth.core.metrics;

/** A metric source could not be read (Prometheus down, store closed); the caller says so. */
public class MetricsUnavailableException extends RuntimeException {
  public MetricsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
