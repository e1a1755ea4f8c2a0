package dev.berth.server.alert;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of alerting ({@code berth.alert.*}, e.g. {@code BERTH_ALERT_SMTP_HOST}).
 *
 * @param interval how often every rule is evaluated
 * @param deliveryAttempts attempts per notification before it is given up as failed
 * @param deliveryBackoff the first wait between attempts (doubles per attempt)
 * @param retention how long resolved alerts stay listed
 * @param smtp the mail server e-mail receivers are sent through
 */
@ConfigurationProperties("berth.alert")
public record AlertProperties(
    @DefaultValue("15s") Duration interval,
    @DefaultValue("4") int deliveryAttempts,
    @DefaultValue("2s") Duration deliveryBackoff,
    @DefaultValue("30d") Duration retention,
    @DefaultValue Smtp smtp) {

  /**
   * The SMTP server.
   *
   * @param host its host; e-mail receivers fail with a clear message while it is empty
   * @param port its port
   * @param from the sender address
   * @param username sign-in name, if the server wants one
   * @param password its password
   * @param starttls whether to require STARTTLS
   * @param timeout connect and read timeout
   */
  public record Smtp(
      String host,
      @DefaultValue("25") int port,
      @DefaultValue("berth@localhost") String from,
      String username,
      String password,
      @DefaultValue("false") boolean starttls,
      @DefaultValue("10s") Duration timeout) {}
}
