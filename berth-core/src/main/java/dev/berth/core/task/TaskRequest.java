package dev.berth.core.task;

/**
 * What a user asks for when creating a task. Null fields take defaults: cluster {@code local},
 * trigger now, mode async, timeout 3600 s, no retries, concurrency allow. {@code waitSeconds}
 * bounds how long a sync call waits for the run to end.
 */
public record TaskRequest(
    String name,
    String team,
    String cluster,
    TaskSpec spec,
    Trigger trigger,
    RunMode mode,
    String callbackUrl,
    String callbackSecret,
    Integer timeoutSeconds,
    Integer retries,
    Boolean keepOnFailure,
    ConcurrencyPolicy concurrency,
    Integer waitSeconds) {

  /** Like the generated one, without the callback secret, so that no log line carries it. */
  @Override
  public String toString() {
    return "TaskRequest[name="
        + name
        + ", team="
        + team
        + ", cluster="
        + cluster
        + ", spec="
        + spec
        + ", trigger="
        + trigger
        + ", mode="
        + mode
        + ", callbackUrl="
        + callbackUrl
        + ", callbackSecret="
        + (callbackSecret == null ? null : "***")
        + ", timeoutSeconds="
        + timeoutSeconds
        + ", retries="
        + retries
        + ", keepOnFailure="
        + keepOnFailure
        + ", concurrency="
        + concurrency
        + ", waitSeconds="
        + waitSeconds
        + "]";
  }
}
