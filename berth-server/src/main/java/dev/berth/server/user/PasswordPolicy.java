package dev.berth.server.user;

import dev.berth.core.support.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What a local account's password must be, after NIST SP 800-63B: long enough, not longer than
 * bcrypt reads (72 bytes; the rest would be ignored silently), not the user name, not one character
 * repeated, and not one of the passwords every guesser tries first. No rules about character
 * classes: they make passwords harder to remember, not to guess.
 */
public final class PasswordPolicy {
  /** Fewest characters. */
  public static final int MIN_LENGTH = 8;

  /** Most UTF-8 bytes: bcrypt's limit. */
  public static final int MAX_BYTES = 72;

  private static final Set<String> COMMON =
      Set.of(
          "password",
          "password1",
          "password123",
          "passw0rd",
          "12345678",
          "123456789",
          "1234567890",
          "123123123",
          "qwertyuiop",
          "qwerty123",
          "iloveyou",
          "11111111",
          "00000000",
          "abcdefgh",
          "abcd1234",
          "letmein1",
          "welcome1",
          "welcome123",
          "changeme",
          "changeme1",
          "sunshine",
          "football",
          "baseball",
          "princess",
          "trustno1",
          "berth123",
          "berthberth",
          "administrator",
          "admin123",
          "adminadmin");

  private PasswordPolicy() {}

  /** Adds an error on {@code field} when {@code password} breaks a rule. */
  public static Errors check(Errors errors, String field, String user, String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return errors.check(false, field, "must have at least " + MIN_LENGTH + " characters");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    return errors
        .check(
            password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES,
            field,
            "must be at most " + MAX_BYTES + " bytes in UTF-8 (bcrypt ignores the rest)")
        .check(
            user == null || !lower.equals(user.toLowerCase(Locale.ROOT)),
            field,
            "must not be the user name")
        .check(
            password.chars().distinct().count() > 1 && !COMMON.contains(lower),
            field,
            "is too easy to guess: use a longer phrase of several words");
  }
}
