package dev.berth.server.user;

import dev.berth.server.config.BerthProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * First-start credentials. When the database has no users, creates {@code admin} with the password
 * from {@code BERTH_ADMIN_PASSWORD} (or a generated one, logged once) and an API token from {@code
 * BERTH_ADMIN_TOKEN} (or a generated one), and writes the token to {@code <dataDir>/admin-token}
 * with mode 0600; only the file's path is logged. On later starts, a preset {@code
 * BERTH_ADMIN_TOKEN} that is not stored yet is added to {@code admin}, so automation can rely on
 * it; passwords are not changed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AdminBootstrap implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  /** What to print when Berth is ready, if anything. */
  private volatile Runnable banner;

  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");

  private final UserService users;
  private final BerthProperties properties;

  public AdminBootstrap(UserService users, BerthProperties properties) {
    this.users = users;
    this.properties = properties;
  }

  /** Where the first start writes the admin's API token. */
  public static Path tokenFile(BerthProperties properties) {
    return properties.dataDir().resolve("admin-token").toAbsolutePath().normalize();
  }

  @Override
  public void run(ApplicationArguments args) {
    bootstrap();
  }

  /**
   * Prints what {@link #bootstrap()} has to tell the admin once Berth accepts requests, after every
   * other start-up line, so that it is the last thing on the screen.
   */
  @EventListener
  public void ready(AvailabilityChangeEvent<ReadinessState> event) {
    if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
      announce();
    }
  }

  /**
   * Prints, once, what the last {@link #bootstrap()} has to tell the admin (the first start's
   * banner).
   */
  public void announce() {
    Runnable b = banner;
    banner = null;
    if (b != null) {
      b.run();
    }
  }

  /** What {@link #bootstrap()} did. */
  public enum Outcome {
    /** Created {@code admin}, its token and the token file. */
    CREATED_ADMIN,
    /** Users existed; added the preset admin token, which was not stored yet. */
    ADDED_PRESET_TOKEN,
    /** Users existed and there was nothing to add. */
    NOTHING
  }

  /** Creates the first-start credentials when needed; idempotent. */
  public Outcome bootstrap() {
    Path file = tokenFile(properties);
    String presetToken = blankToNull(properties.adminToken());
    if (users.count() == 0) {
      String presetPassword = blankToNull(properties.adminPassword());
      if (presetPassword != null && presetPassword.length() < 8) {
        throw new IllegalStateException(
            "BERTH_ADMIN_PASSWORD (berth.admin-password) must have at least 8 characters");
      }
      String password = presetPassword != null ? presetPassword : Tokens.randomUrlSafe(18);
      String token = presetToken != null ? presetToken : Tokens.generate();
      if (users.createFirstAdmin(password, token)) {
        writeTokenFile(file, token);
        String shown = presetPassword == null ? password : null;
        banner = () -> logFirstStart(shown, file);
        return Outcome.CREATED_ADMIN;
      }
    }
    if (presetToken != null && !users.hasToken(presetToken)) {
      if (users.find(UserService.ADMIN).isEmpty()) {
        log.warn(
            "BERTH_ADMIN_TOKEN is set but user '{}' does not exist any more; the token was not added",
            UserService.ADMIN);
        return Outcome.NOTHING;
      }
      users.addToken(UserService.ADMIN, "preset", presetToken, null);
      log.info("Added the token from BERTH_ADMIN_TOKEN to user '{}'", UserService.ADMIN);
      return Outcome.ADDED_PRESET_TOKEN;
    }
    if (Files.exists(file)) {
      banner =
          () -> log.info("The first start's API token for '{}' is in {}", UserService.ADMIN, file);
    }
    return Outcome.NOTHING;
  }

  /**
   * Writes the token to a file that only its owner can read; the mode is set before the content.
   */
  static void writeTokenFile(Path file, String token) {
    try {
      Files.createDirectories(file.getParent());
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (Files.exists(file)) {
        if (posix) {
          Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
        }
      } else if (posix) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
      } else {
        Files.createFile(file);
      }
      Files.writeString(
          file,
          token + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the admin token to " + file + ": " + e.getMessage(), e);
    }
  }

  private static void logFirstStart(String generatedPassword, Path file) {
    String line = "=".repeat(78);
    String password =
        generatedPassword != null
            ? "password:  "
                + generatedPassword
                + "   (generated, shown only this once: note it or change it)"
            : "password:  as set in BERTH_ADMIN_PASSWORD";
    log.warn(
        """

        {}
          Berth first start: created user '{}'
            {}
            API token: in {} (readable by its owner only)
            e.g. curl -H "Authorization: Bearer $(cat {})" http://<host>:<port>/api/v1/apps
        {}""",
        line,
        UserService.ADMIN,
        password,
        file,
        file,
        line);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
