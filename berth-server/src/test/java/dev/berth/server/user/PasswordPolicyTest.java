package dev.berth.server.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.support.Errors;
import dev.berth.core.support.ValidationException;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  @Test
  void acceptsALongPhrase() {
    assertThat(problem("alice", "correct horse battery staple")).isNull();
  }

  @Test
  void refusesShortLongCommonRepeatedAndNameAsPassword() {
    assertThat(problem("alice", "short")).isEqualTo("password: must have at least 8 characters");
    assertThat(problem("alice", "éa".repeat(25)))
        .isEqualTo("password: must be at most 72 bytes in UTF-8 (bcrypt ignores the rest)");
    assertThat(problem("alice", "Password123"))
        .isEqualTo("password: is too easy to guess: use a longer phrase of several words");
    assertThat(problem("alice", "aaaaaaaaaaaa"))
        .isEqualTo("password: is too easy to guess: use a longer phrase of several words");
    assertThat(problem("alice-smith", "Alice-Smith"))
        .isEqualTo("password: must not be the user name");
  }

  private static String problem(String user, String password) {
    try {
      PasswordPolicy.check(new Errors(), "password", user, password).throwIfAny();
      return null;
    } catch (ValidationException e) {
      return e.getMessage();
    }
  }
}
