package dev.berth.server.support.exec;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Commands run in instances and runs without a terminal ({@code berth.exec.*}, e.g. {@code
 * BERTH_EXEC_MAX_CONCURRENT}).
 *
 * @param maxConcurrent most execs running at once in one Berth (each holds a request thread until
 *     its command ends, up to 300 s)
 * @param maxPerUser most execs, and most open web terminals, of one user at once
 */
@ConfigurationProperties("berth.exec")
public record ExecLimitProperties(
    @DefaultValue("8") int maxConcurrent, @DefaultValue("2") int maxPerUser) {
  public static final String MAX_CONCURRENT = "berth.exec.max-concurrent";
  public static final String MAX_PER_USER = "berth.exec.max-per-user";

  /** The bounds of execs into instances and runs, counted together. */
  public ExecLimiter.Limits execs() {
    return new ExecLimiter.Limits("execs", maxConcurrent, MAX_CONCURRENT, maxPerUser, MAX_PER_USER);
  }

  /** The bound of open web terminals: per user only (a terminal holds no request thread). */
  public ExecLimiter.Limits terminals() {
    return new ExecLimiter.Limits(
        "terminals", Integer.MAX_VALUE, MAX_CONCURRENT, maxPerUser, MAX_PER_USER);
  }
}
