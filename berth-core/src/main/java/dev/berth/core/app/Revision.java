package dev.berth.core.app;

import java.time.Instant;

/** An immutable, numbered version of an application's spec. Numbers start at 1 and only grow. */
public record Revision(
    String app, long number, AppSpec spec, String createdBy, Instant createdAt) {}
