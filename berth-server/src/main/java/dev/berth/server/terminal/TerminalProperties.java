package dev.berth.server.terminal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Web terminals ({@code berth.terminal.*}, e.g. {@code BERTH_TERMINAL_IDLE_TIMEOUT}).
 *
 * @param idleTimeout a terminal nobody typed into for this long is closed
 * @param checkPeriod how often open terminals are checked for idleness and stopped instances
 * @param command what a terminal runs: a login shell, bash where the image has it
 * @param berthId the name of this Berth among Berths on one database, for the terminals it holds;
 *     by default the host's name and the server port ({@code host:8080})
 * @param goneAfter a Berth with no sign of life for this long is gone: a Berth that starts closes
 *     the terminals it held (its own are closed at once)
 */
@ConfigurationProperties("berth.terminal")
public record TerminalProperties(
    @DefaultValue("15m") Duration idleTimeout,
    @DefaultValue("10s") Duration checkPeriod,
    @DefaultValue({"sh", "-c", "command -v bash >/dev/null 2>&1 && exec bash || exec sh"})
        List<String> command,
    String berthId,
    @DefaultValue("5m") Duration goneAfter) {}
