package dev.berth.server.security.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.security.signin.PortalClient;
import dev.berth.server.security.signin.TestDirectory;
import dev.berth.server.testing.MutableClock;
import dev.berth.testapp.SignInTestApp;
import dev.berth.testapp.SignInTestApp.RecordingExternalSignIn;
import dev.berth.testapp.SignInTestApp.RecordingExternalSignIn.Call;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Portal sign-in against a real LDAP directory (UnboundID's in-memory server on 127.0.0.1): bind as
 * the user found by the search filter, groups mapped to team grants and admin, local accounts next
 * to it, lock-out, and a directory that is down. The last test stops the directory.
 */
@SpringBootTest(
    classes = SignInTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LdapSignInIT {
  static final TestDirectory directory =
      TestDirectory.create()
          .person("alice", "Alice Smith", "alice-ldap-password")
          .person("Paul.Ops", "Paul Ops", "paul-ldap-password")
          .group("payments-devs", "alice")
          .group("web-readers", "alice")
          .group("platform", "Paul.Ops")
          .start();

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry r) {
    SignInTestApp.baseSettings(r, "ldap");
    directory.settings().forEach((key, value) -> r.add(key, () -> value));
    r.add(
        "berth.security.ldap.group-mappings[0].group",
        () -> "cn=payments-devs,ou=groups,dc=example,dc=org");
    r.add("berth.security.ldap.group-mappings[0].team", () -> "payments");
    r.add("berth.security.ldap.group-mappings[0].role", () -> "developer");
    r.add("berth.security.ldap.group-mappings[1].group", () -> "web-readers");
    r.add("berth.security.ldap.group-mappings[1].team", () -> "web");
    r.add("berth.security.ldap.group-mappings[1].role", () -> "viewer");
    r.add(
        "berth.security.ldap.admin-groups[0]", () -> "cn=platform, ou=groups, dc=example, dc=org");
    r.add("berth.security.ldap.timeout", () -> "2s");
    r.add("berth.security.signin.max-failures", () -> "3");
  }

  @LocalServerPort int port;
  @Autowired RecordingExternalSignIn external;
  @Autowired MutableClock clock;

  @BeforeEach
  void letEarlierFailuresAgeOut() {
    clock.advance(Duration.ofHours(1));
  }

  @AfterAll
  static void stopDirectory() {
    directory.close();
  }

  @Test
  @Order(1)
  void signsInADirectoryUserWithTheTeamGrantsOfTheirGroups() {
    PortalClient browser = new PortalClient(port);

    HttpResponse<String> landed = browser.signIn("alice", "alice-ldap-password");

    assertThat(landed.uri().getPath()).isEqualTo("/apps");
    assertThat(landed.body()).contains("name=alice").contains("role=member");
    assertThat(external.last())
        .isEqualTo(
            new Call(
                "ldap",
                "alice",
                false,
                List.of(
                    new TeamGrant("payments", TeamRole.DEVELOPER),
                    new TeamGrant("web", TeamRole.VIEWER))));
  }

  @Test
  @Order(2)
  void makesMembersOfAnAdminGroupAdmins() {
    PortalClient browser = new PortalClient(port);

    HttpResponse<String> landed = browser.signIn("Paul.Ops", "paul-ldap-password");

    assertThat(landed.body()).contains("name=paul-ops").contains("role=admin");
    assertThat(external.last()).isEqualTo(new Call("ldap", "paul-ops", true, List.of()));
  }

  @Test
  @Order(3)
  void refusesAWrongPasswordAndAnUnknownUserWithTheSameSentence() {
    PortalClient browser = new PortalClient(port);
    int calls = external.calls.size();

    HttpResponse<String> wrong = browser.signIn("alice", "not-alices-password");
    HttpResponse<String> unknown = browser.signIn("mallory", "whatever-password");

    for (HttpResponse<String> page : List.of(wrong, unknown)) {
      assertThat(page.uri().toString()).endsWith("/signin?error");
      assertThat(page.body()).contains("Wrong user name or password.").doesNotContain("Exception");
    }
    assertThat(external.calls).hasSize(calls);
  }

  @Test
  @Order(4)
  void keepsLocalAccountsWorkingNextToTheDirectory() {
    HttpResponse<String> landed =
        new PortalClient(port).signIn("admin", SignInTestApp.ADMIN_PASSWORD);

    assertThat(landed.body()).contains("name=admin");
  }

  @Test
  @Order(5)
  void locksADirectoryUserOutAfterRepeatedFailuresUntilTheLockOutEnds() {
    PortalClient browser = new PortalClient(port);
    for (int i = 0; i < 3; i++) {
      browser.signIn("alice", "guess-" + i);
    }

    HttpResponse<String> locked = browser.signIn("alice", "alice-ldap-password");

    assertThat(locked.uri().toString()).endsWith("/signin?locked");
    assertThat(locked.body())
        .contains(
            "Too many failed sign-ins for this user name or from this address. Sign-in is paused for 15 minutes");
    clock.advance(Duration.ofMinutes(15));
    assertThat(browser.signIn("alice", "alice-ldap-password").uri().getPath()).isEqualTo("/apps");
  }

  @Test
  @Order(99)
  void saysTheDirectoryIsDownWhileLocalAccountsStillSignIn() {
    directory.close();
    PortalClient browser = new PortalClient(port);

    HttpResponse<String> page = browser.signIn("alice", "alice-ldap-password");

    assertThat(page.uri().toString()).endsWith("/signin?unavailable");
    assertThat(page.body())
        .contains(
            "The LDAP directory cannot be reached right now; local Berth accounts still work.")
        .doesNotContain("Exception");
    assertThat(browser.signIn("admin", SignInTestApp.ADMIN_PASSWORD).body()).contains("name=admin");
  }
}
