package dev.berth.server.audit;

import java.time.Instant;

/**
 * One line of the audit log: who ({@code actor}, signed in {@code via} a session or a token), what
 * ({@code action} on {@code objectKind}/{@code objectName} of {@code team}), when, from where
 * ({@code remoteAddress}, {@code userAgent}), with which {@code result} ({@code ok}, {@code denied}
 * or {@code failed}, with {@code detail}), and for spec changes the spec before and after as JSON.
 * {@code id} is 0 until stored; ids grow with time, so they page the log.
 */
public record AuditEntry(
    long id,
    Instant time,
    String actor,
    String via,
    String action,
    String objectKind,
    String objectName,
    String team,
    String result,
    String detail,
    String remoteAddress,
    String userAgent,
    String before,
    String after) {
  public static final String OK = "ok";
  public static final String DENIED = "denied";
  public static final String FAILED = "failed";

  AuditEntry withId(long newId) {
    return new AuditEntry(
        newId,
        time,
        actor,
        via,
        action,
        objectKind,
        objectName,
        team,
        result,
        detail,
        remoteAddress,
        userAgent,
        before,
        after);
  }
}
