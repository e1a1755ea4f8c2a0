package dev.berth.testapp;

import dev.berth.core.support.ConflictException;
import dev.berth.server.access.Role;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.User;
import dev.berth.server.config.BerthProperties;
import dev.berth.server.config.StoreConfig;
import dev.berth.server.security.SecurityConfig;
import dev.berth.server.security.SignInPage;
import dev.berth.server.testing.MutableClock;
import dev.berth.server.user.AdminBootstrap;
import dev.berth.server.user.ExternalSignIn;
import dev.berth.server.user.Tokens;
import dev.berth.server.user.UserService;
import dev.berth.server.web.ProblemHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Berth's security, users, stores and sign-in page over real HTTP, without the rest of the server
 * (who may sign in does not depend on runtimes). The clock is a {@link MutableClock}; {@code /apps}
 * says who is signed in; {@link RecordingExternalSignIn} keeps what LDAP and OpenID Connect sign-in
 * handed over. It lives outside {@code dev.berth.server} so that the server's own component scan in
 * other tests does not pick it up.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(BerthProperties.class)
@Import({
  SecurityConfig.class,
  ProblemHandler.class,
  StoreConfig.class,
  UserService.class,
  AdminBootstrap.class,
  SignInPage.class,
  SignInTestApp.WhoAmI.class
})
public class SignInTestApp {
  public static final String ADMIN_TOKEN = "berth_sign-in-test-admin-token-0123456789";
  public static final String ADMIN_PASSWORD = "sign-in-test-admin-password";

  /** Primary: the store configuration's system clock is registered too (it is imported first). */
  @Bean
  @org.springframework.context.annotation.Primary
  MutableClock testClock() {
    return new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
  }

  @Bean
  RecordingExternalSignIn externalSignIn(UserService users) {
    return new RecordingExternalSignIn(users);
  }

  /** The page a sign-in lands on: who is signed in, as the server sees them. */
  @RestController
  static class WhoAmI {
    @GetMapping("/apps")
    String apps(@AuthenticationPrincipal User user) {
      return "name=" + user.name() + " role=" + user.role();
    }

    /** The session's CSRF token, as a page's forms carry it. */
    @GetMapping("/test/csrf")
    String csrf(org.springframework.security.web.csrf.CsrfToken token) {
      return token.getToken();
    }
  }

  /** Finds or creates the user, like the real one, and remembers every call. */
  public static final class RecordingExternalSignIn implements ExternalSignIn {
    /** One call. */
    public record Call(String source, String name, boolean admin, List<TeamGrant> grants) {}

    private final UserService users;
    public final List<Call> calls = new CopyOnWriteArrayList<>();

    RecordingExternalSignIn(UserService users) {
      this.users = users;
    }

    @Override
    public User signIn(String source, String name, boolean admin, List<TeamGrant> grants) {
      calls.add(new Call(source, name, admin, grants));
      return users
          .find(name)
          .orElseGet(
              () -> {
                try {
                  return users.create(
                      name, Tokens.randomUrlSafe(24), admin ? Role.ADMIN : Role.MEMBER);
                } catch (ConflictException e) {
                  return users.find(name).orElseThrow();
                }
              });
    }

    public Call last() {
      return calls.getLast();
    }
  }

  /**
   * An in-memory database and a data directory of the test's own, the admin's token and password.
   */
  public static void baseSettings(
      org.springframework.test.context.DynamicPropertyRegistry r, String name) {
    r.add(
        "spring.datasource.url",
        () -> "jdbc:h2:mem:" + name + "-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    r.add("berth.data-dir", () -> dataDir("berth-" + name).toString());
    r.add("berth.admin-token", () -> ADMIN_TOKEN);
    r.add("berth.admin-password", () -> ADMIN_PASSWORD);
  }

  /** A fresh data directory, removed when the JVM exits. */
  public static Path dataDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
