package dev.berth.server.terminal;

import java.time.Instant;

/**
 * One granted terminal: its id (named in the audit log and events), what it opens into, who opened
 * it ({@code via} their session or token), when, and the screen size asked for.
 */
public record TerminalSession(
    String id,
    TerminalTarget target,
    String actor,
    String via,
    Instant openedAt,
    int columns,
    int rows) {}
