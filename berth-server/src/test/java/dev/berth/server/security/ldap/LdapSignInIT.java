package dev.berth.server.security.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import dev.berth.server.security.signin.PortalClient;
import dev.berth.testapp.SignInTestApp;
import dev.berth.testapp.SignInTestApp.RecordingExternalSignIn;
import dev.berth.testapp.SignInTestApp.RecordingExternalSignIn.Call;
import dev.berth.server.testing.MutableClock;
import dev.berth.server.user.TeamGrant;
import dev.berth.server.user.TeamRole;
import java.net.InetAddress;
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
 * the user found by the search filter, groups mapped to team grants and admin, local accounts next to
 * it, lock-out, and a directory that is down. The last test stops the directory.
 */
@SpringBootTest(classes = SignInTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LdapSignInIT {
  static final String BIND_DN = "cn=berth,ou=services,dc=example,dc=org";
  static final String BIND_PASSWORD = "berth-bind-secret";
  static final InMemoryDirectoryServer directory = startDirectory();

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry r) {
    SignInTestApp.baseSettings(r, "ldap");
    r.add("berth.security.ldap.url", () -> "ldap://127.0.0.1:" + directory.getListenPort() + "/dc=example,dc=org");
    r.add("berth.security.ldap.bind-dn", () -> BIND_DN);
    r.add("berth.security.ldap.bind-password", () -> BIND_PASSWORD);
    r.add("berth.security.ldap.user-search-base", () -> "ou=people");
    r.add("berth.security.ldap.group-search-base", () -> "ou=groups");
    r.add("berth.security.ldap.group-mappings[0].group", () -> "cn=payments-devs,ou=groups,dc=example,dc=org");
    r.add("berth.security.ldap.group-mappings[0].team", () -> "payments");
    r.add("berth.security.ldap.group-mappings[0].role", () -> "developer");
    r.add("berth.security.ldap.group-mappings[1].group", () -> "web-readers");
    r.add("berth.security.ldap.group-mappings[1].team", () -> "web");
    r.add("berth.security.ldap.group-mappings[1].role", () -> "viewer");
    r.add("berth.security.ldap.admin-groups[0]", () -> "cn=platform, ou=groups, dc=example, dc=org");
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
    directory.shutDown(true);
  }

  @Test
  @Order(1)
  void signsInADirectoryUserWithTheTeamGrantsOfTheirGroups() {
    PortalClient browser = new PortalClient(port);

    HttpResponse<String> landed = browser.signIn("alice", "alice-ldap-password");

    assertThat(landed.uri().getPath()).isEqualTo("/apps");
    assertThat(landed.body()).contains("name=alice").contains("role=member");
    assertThat(external.last()).isEqualTo(new Call("ldap", "alice", false, List.of(
        new TeamGrant("payments", TeamRole.DEVELOPER), new TeamGrant("web", TeamRole.VIEWER))));
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
    HttpResponse<String> landed = new PortalClient(port).signIn("admin", SignInTestApp.ADMIN_PASSWORD);

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
    assertThat(locked.body()).contains("Too many failed sign-ins for this user name or from this address. Sign-in is paused for 15 minutes");
    clock.advance(Duration.ofMinutes(15));
    assertThat(browser.signIn("alice", "alice-ldap-password").uri().getPath()).isEqualTo("/apps");
  }

  @Test
  @Order(99)
  void saysTheDirectoryIsDownWhileLocalAccountsStillSignIn() {
    directory.shutDown(true);
    PortalClient browser = new PortalClient(port);

    HttpResponse<String> page = browser.signIn("alice", "alice-ldap-password");

    assertThat(page.uri().toString()).endsWith("/signin?unavailable");
    assertThat(page.body()).contains("The LDAP directory cannot be reached right now; local Berth accounts still work.")
        .doesNotContain("Exception");
    assertThat(browser.signIn("admin", SignInTestApp.ADMIN_PASSWORD).body()).contains("name=admin");
  }

  private static InMemoryDirectoryServer startDirectory() {
    try {
      var config = new InMemoryDirectoryServerConfig("dc=example,dc=org");
      config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName("127.0.0.1"), 0, null));
      config.setSchema(null);
      config.setAuthenticationRequiredOperationTypes(com.unboundid.ldap.sdk.OperationType.SEARCH);
      var server = new InMemoryDirectoryServer(config);
      server.add("dn: dc=example,dc=org", "objectClass: top", "objectClass: domain", "dc: example");
      for (String ou : List.of("people", "groups", "services")) {
        server.add("dn: ou=" + ou + ",dc=example,dc=org", "objectClass: organizationalUnit", "ou: " + ou);
      }
      server.add("dn: " + BIND_DN, "objectClass: person", "cn: berth", "sn: berth", "userPassword: " + BIND_PASSWORD);
      person(server, "alice", "Alice Smith", "alice-ldap-password");
      person(server, "Paul.Ops", "Paul Ops", "paul-ldap-password");
      group(server, "payments-devs", "alice");
      group(server, "web-readers", "alice");
      group(server, "platform", "Paul.Ops");
      server.startListening();
      return server;
    } catch (LDAPException | LDIFException | java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void person(InMemoryDirectoryServer server, String uid, String cn, String password) throws LDAPException, LDIFException {
    server.add("dn: uid=" + uid + ",ou=people,dc=example,dc=org", "objectClass: inetOrgPerson", "uid: " + uid,
        "cn: " + cn, "sn: " + cn.split(" ")[1], "userPassword: " + password);
  }

  private static void group(InMemoryDirectoryServer server, String cn, String member) throws LDAPException, LDIFException {
    server.add("dn: cn=" + cn + ",ou=groups,dc=example,dc=org", "objectClass: groupOfNames", "cn: " + cn,
        "member: uid=" + member + ",ou=people,dc=example,dc=org");
  }
}
