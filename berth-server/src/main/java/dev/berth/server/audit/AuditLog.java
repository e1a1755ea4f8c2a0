package dev.berth.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.ConfirmationRequiredException;
import dev.berth.server.access.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The audit log's one entry point for every feature that changes something (apps, instances, tasks,
 * runs, clusters, users, teams, tokens, and later registries and builds): wrap the change in {@link
 * #change}, or call {@link #record} after it. The actor, how they signed in, the time, the remote
 * address and the user agent are taken from the current request; outside a request the actor is
 * {@code system}.
 *
 * <p>A change that succeeds is recorded {@code ok}; one refused for a missing permission {@code
 * denied}; one that fails on the way (conflict, runtime or registry fault) {@code failed} with the
 * reason. Requests refused before anything happened (invalid input, unknown object, missing
 * confirmation) are not recorded. A failure to write the log is logged and never fails the change.
 */
@Service
public class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final JdbcAuditStore store;
  private final Access access;
  private final ObjectMapper mapper;
  private final Clock clock;

  public AuditLog(JdbcAuditStore store, Access access, ObjectMapper mapper, Clock clock) {
    this.store = store;
    this.access = access;
    this.mapper = mapper;
    this.clock = clock;
  }

  /**
   * What a change is about, filled in by the work as it learns it. Not thread-safe; one per change.
   */
  public static final class Change {
    private String team;
    private Object before;
    private Object after;
    private String detail;

    /** The team the object belongs to. */
    public Change team(String value) {
      this.team = value;
      return this;
    }

    /** The spec (or other state) before the change, stored as JSON. */
    public Change before(Object value) {
      this.before = value;
      return this;
    }

    /** The spec (or other state) after the change, stored as JSON. */
    public Change after(Object value) {
      this.after = value;
      return this;
    }

    /** A sentence on what was done, e.g. {@code from 3 to 0 instance(s)}. */
    public Change detail(String value) {
      this.detail = value;
      return this;
    }
  }

  /**
   * Runs {@code work} and records its outcome as {@code action} on {@code kind}/{@code name}.
   *
   * @return what {@code work} returned
   */
  public <T> T change(String action, String kind, String name, Function<Change, T> work) {
    Change c = new Change();
    T result;
    try {
      result = work.apply(c);
    } catch (ForbiddenException e) {
      write(action, kind, name, c.team, AuditEntry.DENIED, e.getMessage(), null, null);
      throw e;
    } catch (ValidationException
        | NotFoundException
        | ConfirmationRequiredException
        | AuthenticationException e) {
      throw e;
    } catch (RuntimeException e) {
      write(action, kind, name, c.team, AuditEntry.FAILED, e.getMessage(), c.before, c.after);
      throw e;
    }
    write(action, kind, name, c.team, AuditEntry.OK, c.detail, c.before, c.after);
    return result;
  }

  /** Records a change made elsewhere, by the current caller. */
  public void record(
      String action,
      String kind,
      String name,
      String team,
      String result,
      String detail,
      Object before,
      Object after) {
    write(action, kind, name, team, result, detail, before, after);
  }

  /**
   * Records a change made by someone who is not the current caller yet: a person signing in through
   * an identity provider ({@code via} the provider, e.g. {@code ldap}) has no session while it
   * happens, and would otherwise appear as {@code anonymous}.
   */
  public void recordBy(
      String actor,
      String via,
      String action,
      String kind,
      String name,
      String team,
      String result,
      String detail,
      Object before,
      Object after) {
    append(actor, via, action, kind, name, team, result, detail, before, after);
  }

  /** Searches the log, newest first (admins: {@code audit.read}). */
  public List<AuditEntry> query(AuditQuery query) {
    access.require(dev.berth.server.access.Permission.AUDIT_READ, null);
    return store.query(query);
  }

  private void write(
      String action,
      String kind,
      String name,
      String team,
      String result,
      String detail,
      Object before,
      Object after) {
    append(null, null, action, kind, name, team, result, detail, before, after);
  }

  /**
   * @param actor who did it; null: the current caller (and {@code via} theirs)
   */
  private void append(
      String actor,
      String via,
      String action,
      String kind,
      String name,
      String team,
      String result,
      String detail,
      Object before,
      Object after) {
    try {
      if (actor == null) {
        Caller caller = caller();
        actor = caller.name();
        via = caller.via();
      }
      HttpServletRequest request =
          RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
              ? a.getRequest()
              : null;
      store.append(
          new AuditEntry(
              0,
              clock.instant(),
              actor,
              via,
              action,
              kind,
              name == null ? "" : name,
              team,
              result,
              detail,
              request == null ? null : request.getRemoteAddr(),
              request == null ? null : request.getHeader(HttpHeaders.USER_AGENT),
              json(before),
              json(after)));
    } catch (RuntimeException e) {
      LOG.error(
          "could not write the audit log entry {} {}/{} ({}): {}",
          action,
          kind,
          name,
          result,
          e.getMessage());
    }
  }

  private Caller caller() {
    try {
      return access.actor();
    } catch (AuthenticationException e) {
      return new Caller("anonymous", false, java.util.Map.of(), "none", false);
    }
  }

  private String json(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return "\"(not serialisable: " + e.getOriginalMessage() + ")\"";
    }
  }
}
