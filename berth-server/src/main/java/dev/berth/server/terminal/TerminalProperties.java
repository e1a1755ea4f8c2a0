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
 */
@ConfigurationProperties("berth.terminal")
public record TerminalProperties(
    @DefaultValue("15m") Duration idleTimeout,
    @DefaultValue("10s") Duration checkPeriod,
    @DefaultValue({"sh", "-c", "command -v bash >/dev/null 2>&1 && exec bash || exec sh"})
        List<String> command) {}
