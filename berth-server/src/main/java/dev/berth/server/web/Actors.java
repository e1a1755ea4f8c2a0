package dev.berth.server.web;

import java.security.Principal;

/** The name of whoever makes a request, for events and the audit trail. */
public final class Actors {
  private Actors() {}

  public static String name(Principal principal) {
    return principal == null ? "anonymous" : principal.getName();
  }
}
