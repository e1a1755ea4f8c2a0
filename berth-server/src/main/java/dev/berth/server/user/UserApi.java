package dev.berth.server.user;

import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Role;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.access.TokenScope;
import dev.berth.server.access.User;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Users and their API tokens: admins manage users; everyone manages their own tokens. */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "users", description = "Users, their teams and their API tokens")
public class UserApi {
  private final Accounts accounts;

  public UserApi(Accounts accounts) {
    this.accounts = accounts;
  }

  /** A user as the API shows it: never a password or token. */
  public record UserJson(
      String name, String role, String source, Map<String, String> teams, Instant createdAt) {
    static UserJson of(Accounts.Account a) {
      Map<String, String> teams = new java.util.TreeMap<>();
      a.teams().forEach((t, r) -> teams.put(t, r.toString()));
      return new UserJson(
          a.user().name(), a.user().role().toString(), a.source(), teams, a.user().createdAt());
    }
  }

  /** The body of a user creation. */
  public record CreateUserJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "dora") String name,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String password,
      @Schema(example = "member") String role) {}

  /** One team role of a token's scope. */
  public record ScopeJson(String team, String role) {}

  /**
   * The body of a token request: a name, how long it lives ({@code 30d}, {@code 12h}, ISO-8601;
   * none: for ever), and optionally its scope: team roles and whether it keeps an admin's platform
   * rights; {@code permission} narrows it to that one platform permission.
   */
  public record CreateTokenJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ci") String name,
      @Schema(example = "30d") String expiresIn,
      List<ScopeJson> scopes,
      Boolean admin,
      @Schema(
              example = "registry.notify",
              description =
                  "narrows the token to this one platform permission; only a user who holds it may ask")
          String permission) {}

  /** A token as lists show it; {@code secret} only in the answer that created it. */
  public record TokenJson(
      String id,
      String name,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      List<ScopeJson> scopes,
      Boolean admin,
      @Schema(description = "the one platform permission the token is narrowed to, if any")
          String permission,
      String secret) {
    static TokenJson of(ApiToken t, String secret) {
      List<ScopeJson> scopes =
          t.scope() == null
              ? null
              : t.scope().teams().stream()
                  .map(g -> new ScopeJson(g.team(), g.role().toString()))
                  .toList();
      return new TokenJson(
          t.id(),
          t.name(),
          t.createdAt(),
          t.expiresAt(),
          t.lastUsedAt(),
          scopes,
          t.scope() == null ? null : t.scope().admin(),
          t.scope() == null || t.scope().permission() == null ? null : t.scope().permission().id(),
          secret);
    }
  }

  @GetMapping
  @Operation(
      summary = "Users with their platform role and team roles (admins see all, others themselves)")
  public ListJson<UserJson> list() {
    return ListJson.of(accounts.list().stream().map(UserJson::of).toList());
  }

  @PostMapping
  @Operation(
      summary =
          "Create a local user (admins); role 'admin' or 'member' (a member's rights come from team roles)")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<UserJson> create(@RequestBody CreateUserJson body) {
    Role role = body.role() == null || body.role().isBlank() ? Role.MEMBER : parseRole(body.role());
    User user = accounts.create(body.name(), body.password(), role);
    return ResponseEntity.created(URI.create("/api/v1/users/" + user.name()))
        .body(UserJson.of(new Accounts.Account(user, "local", Map.of())));
  }

  @GetMapping("/{user}/tokens")
  @Operation(summary = "A user's API tokens, without their secrets (the user themselves or admins)")
  public ListJson<TokenJson> tokens(@PathVariable String user) {
    return ListJson.of(accounts.tokens(user).stream().map(t -> TokenJson.of(t, null)).toList());
  }

  @PostMapping("/{user}/tokens")
  @Operation(
      summary =
          "Create an API token; the secret is in this answer only. A scope narrows it to team roles, a permission to that one platform permission; it never exceeds its user")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<TokenJson> createToken(
      @PathVariable String user, @RequestBody CreateTokenJson body) {
    IssuedToken issued =
        accounts.issue(
            user, body.name(), Accounts.parseTtl(body.expiresIn()), scope(body), body.permission());
    return ResponseEntity.created(
            URI.create("/api/v1/users/" + user + "/tokens/" + issued.token().id()))
        .body(TokenJson.of(issued.token(), issued.secret()));
  }

  @DeleteMapping("/{user}/tokens/{id}")
  @Operation(summary = "Revoke an API token at once")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> revoke(@PathVariable String user, @PathVariable String id) {
    accounts.revoke(user, id);
    return ResponseEntity.noContent().build();
  }

  private static TokenScope scope(CreateTokenJson body) {
    if (body.scopes() == null && body.admin() == null) {
      return null;
    }
    List<TeamGrant> grants = new ArrayList<>();
    List<ScopeJson> scopes = body.scopes() == null ? List.of() : body.scopes();
    dev.berth.core.support.Errors errors = new dev.berth.core.support.Errors();
    for (int i = 0; i < scopes.size(); i++) {
      ScopeJson s = scopes.get(i);
      TeamRole role = null;
      try {
        role = s == null || s.role() == null ? null : TeamRole.parse(s.role());
      } catch (IllegalArgumentException e) {
        // reported below
      }
      errors.check(s != null && s.team() != null, "scopes[" + i + "].team", "is required");
      errors.check(
          role != null, "scopes[" + i + "].role", "must be owner, developer, operator or viewer");
      if (s != null && s.team() != null && role != null) {
        grants.add(new TeamGrant(s.team(), role));
      }
    }
    errors.throwIfAny();
    return new TokenScope(Boolean.TRUE.equals(body.admin()), grants);
  }

  static Role parseRole(String role) {
    try {
      return Role.parse(role);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(
          "role",
          "must be 'admin' or 'member' (team roles are given with PUT /api/v1/teams/{team}/members/{user}), was '"
              + role
              + "'");
    }
  }
}
