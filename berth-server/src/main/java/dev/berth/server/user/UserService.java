package dev.berth.server.user;

import static dev.berth.server.support.jdbc.Sql.instant;
import static dev.berth.server.support.jdbc.Sql.ts;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Role;
import dev.berth.server.access.TokenScope;
import dev.berth.server.access.User;
import dev.berth.server.access.UserLookup;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users, their passwords and their API tokens. Passwords are stored with a slow salted hash
 * (bcrypt, behind a {@link DelegatingPasswordEncoder} so that the scheme can change later); token
 * secrets as SHA-256 ({@link Tokens}). Safe for concurrent use; each method is one transaction.
 */
@Service
public class UserService implements UserLookup {
  /** The user created on first start. */
  public static final String ADMIN = "admin";

  /**
   * How often {@code last_used_at} is written at most, so that busy tokens do not write on every
   * call.
   */
  static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

  private static final int MAX_SECRET_LENGTH = 512;

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final PasswordEncoder passwords;
  private final Clock clock;
  private final String unknownUserHash;

  public UserService(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      PasswordEncoder passwords,
      Clock clock) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
    this.passwords = passwords;
    this.clock = clock;
    this.unknownUserHash = passwords.encode(Tokens.randomUrlSafe(16));
  }

  /**
   * bcrypt's cost for new hashes: 2^12 rounds, about a quarter second per check on a server core.
   */
  static final int BCRYPT_COST = 12;

  /**
   * Berth's password encoder: bcrypt (cost 12) for new hashes, still reading PBKDF2 and cheaper
   * bcrypt ones.
   */
  public static PasswordEncoder defaultPasswordEncoder() {
    String id = "bcrypt";
    DelegatingPasswordEncoder encoder =
        new DelegatingPasswordEncoder(
            id,
            Map.of(
                id,
                new BCryptPasswordEncoder(BCRYPT_COST),
                "pbkdf2@SpringSecurity_v5_8",
                Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
    return encoder;
  }

  public long count() {
    return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
  }

  @Override
  public Optional<User> find(String name) {
    return jdbc.sql("SELECT name, role, created_at FROM users WHERE name = ?")
        .param(name)
        .query(UserService::user)
        .optional();
  }

  public List<User> list() {
    return jdbc.sql("SELECT name, role, created_at FROM users ORDER BY name")
        .query(UserService::user)
        .list();
  }

  /**
   * Creates a user.
   *
   * @throws dev.berth.core.support.ValidationException when the name is not a DNS-1123 label or the
   *     password breaks the {@link PasswordPolicy}
   * @throws ConflictException when the name is taken
   */
  public User create(String name, String password, Role role) {
    Errors errors =
        new Errors()
            .dnsLabel(name, "name", 63)
            .check(
                role != null,
                "role",
                "is required: admin or member (a member's rights come from their teams)");
    PasswordPolicy.check(errors, "password", name, password).throwIfAny();
    User user = new User(name, role, Sql.micros(clock.instant()));
    try {
      jdbc.sql("INSERT INTO users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
          .params(name, passwords.encode(password), role.name(), ts(user.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("user '" + name + "' already exists");
    }
    return user;
  }

  /**
   * Creates the admin user with one API token, atomically, unless any user exists already. Returns
   * false when there were users (or another server created them at the same moment).
   */
  public boolean createFirstAdmin(String password, String tokenSecret) {
    try {
      return Boolean.TRUE.equals(
          tx.execute(
              s -> {
                if (count() > 0) {
                  return false;
                }
                create(ADMIN, password, Role.ADMIN);
                addToken(ADMIN, "admin", tokenSecret, null);
                return true;
              }));
    } catch (ConflictException | DuplicateKeyException e) {
      return false;
    }
  }

  /** The user when the password is right; takes as long for unknown users as for known ones. */
  public Optional<User> checkPassword(String name, String password) {
    if (name == null || password == null) {
      return Optional.empty();
    }
    Optional<String> hash =
        jdbc.sql("SELECT password_hash FROM users WHERE name = ?")
            .param(name)
            .query(String.class)
            .optional();
    boolean ok = passwords.matches(password, hash.orElse(unknownUserHash)) && hash.isPresent();
    return ok ? find(name) : Optional.empty();
  }

  public void changePassword(String name, String password) {
    PasswordPolicy.check(new Errors(), "password", name, password).throwIfAny();
    int n =
        jdbc.sql("UPDATE users SET password_hash = ? WHERE name = ?")
            .params(passwords.encode(password), name)
            .update();
    if (n == 0) {
      throw new NotFoundException("user", name);
    }
  }

  /** Issues a new random token for the user; {@code ttl} null means it never expires. */
  public IssuedToken issueToken(String user, String tokenName, Duration ttl) {
    return issueToken(user, tokenName, ttl, null);
  }

  /**
   * Issues a new random token limited to {@code scope} (null: whatever the user may do). The caller
   * checks that the scope does not exceed the user ({@code TokenRequests}); it is also narrowed to
   * the user's rights at every use.
   */
  public IssuedToken issueToken(String user, String tokenName, Duration ttl, TokenScope scope) {
    String secret = Tokens.generate();
    Instant expires = ttl == null ? null : clock.instant().plus(ttl);
    return new IssuedToken(addToken(user, tokenName, secret, expires, scope), secret);
  }

  /**
   * Stores a token whose secret the caller chose (e.g. {@code BERTH_ADMIN_TOKEN}).
   *
   * @throws NotFoundException when the user does not exist
   * @throws ConflictException when the same secret is stored already
   */
  public ApiToken addToken(String user, String tokenName, String secret, Instant expiresAt) {
    return addToken(user, tokenName, secret, expiresAt, null);
  }

  private ApiToken addToken(
      String user, String tokenName, String secret, Instant expiresAt, TokenScope scope) {
    Objects.requireNonNull(secret, "secret");
    new Errors()
        .check(
            !secret.isBlank()
                && secret.strip().equals(secret)
                && secret.length() <= MAX_SECRET_LENGTH,
            "secret",
            "must be 1 to " + MAX_SECRET_LENGTH + " characters without surrounding white space")
        .check(
            tokenName != null && !tokenName.isBlank() && tokenName.length() <= 63,
            "name",
            "must be 1 to 63 characters")
        .throwIfAny();
    if (find(user).isEmpty()) {
      throw new NotFoundException("user", user);
    }
    ApiToken token =
        new ApiToken(
            UUID.randomUUID().toString(),
            user,
            tokenName,
            Sql.micros(clock.instant()),
            Sql.micros(expiresAt),
            null,
            scope);
    try {
      jdbc.sql(
              "INSERT INTO api_tokens (id, user_name, token_hash, name, created_at, expires_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .params(
              token.id(),
              user,
              Tokens.hash(secret),
              tokenName,
              ts(token.createdAt()),
              ts(expiresAt),
              scope == null ? null : scope.format())
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("this token is stored already");
    }
    return token;
  }

  /** Whether a token with this secret is stored (expired or not). */
  public boolean hasToken(String secret) {
    return jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?")
            .param(Tokens.hash(secret))
            .query(Long.class)
            .single()
        > 0;
  }

  public List<ApiToken> tokens(String user) {
    return jdbc.sql(
            "SELECT id, user_name, name, created_at, expires_at, last_used_at, scopes FROM api_tokens WHERE user_name = ? ORDER BY created_at, id")
        .param(user)
        .query(UserService::token)
        .list();
  }

  public void revokeToken(String user, String id) {
    int n =
        jdbc.sql("DELETE FROM api_tokens WHERE user_name = ? AND id = ?").params(user, id).update();
    if (n == 0) {
      throw new NotFoundException("token", id);
    }
  }

  /**
   * The user a token belongs to, when the token is stored and not expired. Records the use in
   * {@code last_used_at} at most once a minute.
   */
  public Optional<User> authenticate(String secret) {
    return authenticateToken(secret).map(TokenUse::user);
  }

  /** A token in use: its user, its id and its scope (null: unscoped). */
  public record TokenUse(User user, String tokenId, TokenScope scope) {}

  /** Like {@link #authenticate(String)}, with the token's id and scope. */
  public Optional<TokenUse> authenticateToken(String secret) {
    if (secret == null || secret.isBlank() || secret.length() > MAX_SECRET_LENGTH) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<TokenOwner> found =
        jdbc.sql(
                """
            SELECT t.id, t.expires_at, t.last_used_at, t.scopes, u.name, u.role, u.created_at
            FROM api_tokens t JOIN users u ON u.name = t.user_name
            WHERE t.token_hash = ?""")
            .param(Tokens.hash(secret))
            .query(
                (rs, row) ->
                    new TokenOwner(
                        rs.getString("id"),
                        instant(rs, "expires_at"),
                        instant(rs, "last_used_at"),
                        TokenScope.parse(rs.getString("scopes")),
                        user(rs, row)))
            .optional();
    if (found.isEmpty()
        || (found.get().expiresAt() != null && !now.isBefore(found.get().expiresAt()))) {
      return Optional.empty();
    }
    TokenOwner t = found.get();
    Instant stale = now.minus(LAST_USED_GRANULARITY);
    if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(stale)) {
      jdbc.sql(
              "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
          .params(ts(now), t.id(), ts(stale))
          .update();
    }
    return Optional.of(new TokenUse(t.user(), t.id(), t.scope()));
  }

  private record TokenOwner(
      String id, Instant expiresAt, Instant lastUsedAt, TokenScope scope, User user) {}

  /** Where the user's account comes from: {@code local}, {@code ldap} or {@code oidc}. */
  public Optional<String> source(String name) {
    return jdbc.sql("SELECT source FROM users WHERE name = ?")
        .param(name)
        .query(String.class)
        .optional();
  }

  /**
   * Creates a user who signs in through an identity provider ({@code source}), without a password,
   * or updates their platform role. Returns the user as stored.
   */
  public User upsertExternal(String name, String source, Role role) {
    new Errors().dnsLabel(name, "name", 63).throwIfAny();
    return tx.execute(
        s -> {
          Optional<User> existing = find(name);
          if (existing.isEmpty()) {
            User user = new User(name, role, Sql.micros(clock.instant()));
            jdbc.sql(
                    "INSERT INTO users (name, password_hash, role, created_at, source) VALUES (?, NULL, ?, ?, ?)")
                .params(name, role.name(), ts(user.createdAt()), source)
                .update();
            return user;
          }
          if (existing.get().role() != role) {
            jdbc.sql("UPDATE users SET role = ? WHERE name = ?").params(role.name(), name).update();
          }
          return new User(name, role, existing.get().createdAt());
        });
  }

  private static User user(ResultSet rs, int row) throws SQLException {
    return new User(
        rs.getString("name"), Role.valueOf(rs.getString("role")), instant(rs, "created_at"));
  }

  private static ApiToken token(ResultSet rs, int row) throws SQLException {
    return new ApiToken(
        rs.getString("id"),
        rs.getString("user_name"),
        rs.getString("name"),
        instant(rs, "created_at"),
        instant(rs, "expires_at"),
        instant(rs, "last_used_at"),
        TokenScope.parse(rs.getString("scopes")));
  }
}
