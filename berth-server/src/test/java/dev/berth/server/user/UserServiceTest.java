package dev.berth.server.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Role;
import dev.berth.server.access.User;
import dev.berth.server.testing.MutableClock;
import dev.berth.server.testing.TestDatabases;
import dev.berth.server.testing.TestProperties;
import dev.berth.server.user.AdminBootstrap.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

@ExtendWith(OutputCaptureExtension.class)
class UserServiceTest {
  static final String PRESET = "berth_preset-token-for-automation-0123456789";

  @TempDir Path dataDir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  HikariDataSource db;
  UserService users;

  @BeforeEach
  void setUp() {
    db = TestDatabases.h2();
    users =
        new UserService(
            JdbcClient.create(db),
            new JdbcTransactionManager(db),
            UserService.defaultPasswordEncoder(),
            clock);
  }

  @AfterEach
  void tearDown() {
    JdbcClient.create(db).sql("SHUTDOWN").update();
    db.close();
  }

  AdminBootstrap bootstrap(Map<String, String> settings) {
    return new AdminBootstrap(users, TestProperties.berth(dataDir, settings));
  }

  @Test
  void firstStartCreatesAdminWithThePresetTokenInAFileOnlyItsOwnerReads(CapturedOutput output)
      throws Exception {
    AdminBootstrap first =
        bootstrap(Map.of("admin-token", PRESET, "admin-password", "s3cret-pass"));
    Outcome outcome = first.bootstrap();
    first.announce();

    Path file = dataDir.resolve("admin-token");
    assertThat(outcome).isEqualTo(Outcome.CREATED_ADMIN);
    assertThat(Files.readString(file).strip()).isEqualTo(PRESET);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(users.authenticate(PRESET))
        .get()
        .extracting(User::name, User::role)
        .containsExactly("admin", Role.ADMIN);
    assertThat(users.checkPassword("admin", "s3cret-pass")).isPresent();
    assertThat(users.checkPassword("admin", "wrong-pass")).isEmpty();
    assertThat(output.getAll())
        .contains(file.toString())
        .doesNotContain(PRESET)
        .doesNotContain("s3cret-pass");
  }

  @Test
  void firstStartGeneratesAPasswordShownOnceAndATokenShownNever(CapturedOutput output)
      throws Exception {
    AdminBootstrap first = bootstrap(Map.of());
    first.bootstrap();
    assertThat(output.getAll())
        .as("the banner waits until Berth is ready")
        .doesNotContain("password:  ");
    first.announce();

    String token = Files.readString(dataDir.resolve("admin-token")).strip();
    assertThat(token).startsWith("berth_").hasSize("berth_".length() + 43);
    assertThat(users.authenticate(token)).get().extracting(User::name).isEqualTo("admin");
    assertThat(output.getAll()).doesNotContain(token).contains("password:  ");
    String password = output.getAll().replaceAll("(?s).*password:  (\\S+).*", "$1");
    assertThat(users.checkPassword("admin", password)).isPresent();

    AdminBootstrap second = bootstrap(Map.of());
    second.bootstrap();
    second.announce();
    assertThat(output.getAll().split(java.util.regex.Pattern.quote(password), -1)).hasSize(2);
  }

  @Test
  void laterStartsNeitherDuplicateAdminNorRewriteTheTokenFile() throws Exception {
    bootstrap(Map.of("admin-token", PRESET)).bootstrap();
    Files.writeString(dataDir.resolve("admin-token"), "edited by hand\n");

    Outcome second = bootstrap(Map.of("admin-token", PRESET)).bootstrap();

    assertThat(second).isEqualTo(Outcome.NOTHING);
    assertThat(users.list()).extracting(User::name).containsExactly("admin");
    assertThat(users.tokens("admin")).hasSize(1);
    assertThat(Files.readString(dataDir.resolve("admin-token"))).isEqualTo("edited by hand\n");
  }

  @Test
  void laterStartAddsAPresetTokenThatIsNotStoredYet() {
    bootstrap(Map.of()).bootstrap();
    assertThat(users.authenticate(PRESET)).isEmpty();

    Outcome outcome = bootstrap(Map.of("admin-token", PRESET)).bootstrap();

    assertThat(outcome).isEqualTo(Outcome.ADDED_PRESET_TOKEN);
    assertThat(users.authenticate(PRESET)).get().extracting(User::name).isEqualTo("admin");
    assertThat(users.tokens("admin"))
        .extracting(ApiToken::name)
        .containsExactlyInAnyOrder("admin", "preset");
    assertThat(bootstrap(Map.of("admin-token", PRESET)).bootstrap()).isEqualTo(Outcome.NOTHING);
  }

  @Test
  void tightensAnExistingTokenFileBeforeWritingIt() throws Exception {
    Path file = dataDir.resolve("admin-token");
    Files.writeString(file, "old content that is longer than the token itself, to be truncated\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    AdminBootstrap.writeTokenFile(file, "berth_new");

    assertThat(Files.readString(file)).isEqualTo("berth_new\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesUnknownAndExpiredTokens() {
    users.create("bob", "bobs-password", Role.MEMBER);
    IssuedToken issued = users.issueToken("bob", "ci", Duration.ofHours(1));

    assertThat(users.authenticate(issued.secret()))
        .get()
        .extracting(User::role)
        .isEqualTo(Role.MEMBER);
    assertThat(users.authenticate("berth_unknown")).isEmpty();
    assertThat(users.authenticate("")).isEmpty();
    assertThat(users.authenticate(null)).isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(users.authenticate(issued.secret())).isEmpty();
    assertThat(issued.toString()).doesNotContain(issued.secret());
  }

  @Test
  void recordsTokenUseAtMostOnceAMinute() {
    users.create("bob", "bobs-password", Role.MEMBER);
    IssuedToken issued = users.issueToken("bob", "ci", null);
    Instant first = clock.instant();

    users.authenticate(issued.secret());
    clock.advance(Duration.ofSeconds(59));
    users.authenticate(issued.secret());
    assertThat(users.tokens("bob").getFirst().lastUsedAt()).isEqualTo(first);

    clock.advance(Duration.ofSeconds(2));
    users.authenticate(issued.secret());
    assertThat(users.tokens("bob").getFirst().lastUsedAt()).isEqualTo(first.plusSeconds(61));
  }

  @Test
  void revokedTokensStopWorking() {
    users.create("bob", "bobs-password", Role.MEMBER);
    IssuedToken issued = users.issueToken("bob", "laptop", null);

    users.revokeToken("bob", issued.token().id());

    assertThat(users.authenticate(issued.secret())).isEmpty();
    assertThat(users.tokens("bob")).isEmpty();
  }

  @Test
  void refusesDuplicateUsersAndBadInput() {
    users.create("bob", "bobs-password", Role.MEMBER);

    assertThatThrownBy(() -> users.create("bob", "another-password", Role.ADMIN))
        .isInstanceOf(ConflictException.class)
        .hasMessage("user 'bob' already exists");
    assertThatThrownBy(() -> users.create("Bob!", "short", Role.ADMIN))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).errors())
                    .extracting(ValidationException.FieldError::field)
                    .containsExactly("name", "password"));
  }
}
