package dev.berth.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A token narrowed to one platform permission: stored, and what its caller may do. */
class TokenNarrowingTest {
  final Caller notifier =
      new Caller(
          "admin",
          true,
          Map.of("alpha", TeamRole.OWNER),
          "token:t1",
          true,
          Permission.REGISTRY_NOTIFY);

  @Test
  void aNarrowedCallerHoldsOnlyThatPermissionEvenAsAnAdmin() {
    assertThat(notifier.can(Permission.REGISTRY_NOTIFY, null)).isTrue();
    assertThat(notifier.can(Permission.REGISTRY_READ, null)).isFalse();
    assertThat(notifier.can(Permission.APP_READ, "alpha")).isFalse();
    assertThat(notifier.teamsWith(Permission.APP_READ)).as("no team, not all").isEmpty();
  }

  @Test
  void theNarrowingIsStoredWithTheScopeAndReadBack() {
    TokenScope scope =
        new TokenScope(true, List.of(new TeamGrant("alpha", TeamRole.OWNER)))
            .narrowedTo(Permission.REGISTRY_NOTIFY);
    assertThat(scope.format()).isEqualTo("admin,only=registry.notify,alpha=owner");
    assertThat(TokenScope.parse(scope.format())).isEqualTo(scope);
    assertThat(TokenScope.parse("alpha=viewer").permission()).isNull();
  }

  @Test
  void theRefusalNamesTheNarrowingAndWhatTheCallNeeded() {
    ForbiddenException e = ForbiddenException.narrowed(notifier, Permission.APP_READ);
    assertThat(e.permission()).isEqualTo("app.read");
    assertThat(e.narrowedTo()).isEqualTo("registry.notify");
    assertThat(e.getMessage()).contains("narrowed to permission 'registry.notify'", "'app.read'");
    assertThatThrownBy(
            () -> {
              throw ForbiddenException.narrowed(notifier, null);
            })
        .hasMessageContaining("not one of its calls");
  }
}
