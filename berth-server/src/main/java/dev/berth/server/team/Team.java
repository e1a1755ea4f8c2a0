package dev.berth.server.team;

import java.time.Instant;

/** A team: a DNS-1123 name owning apps and tasks; {@code production} puts red lines on its apps. */
public record Team(String name, boolean production, Instant createdAt) {}
