package dev.berth.server.security.signin;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldif.LDIFException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real LDAP directory for sign-in tests: UnboundID's in-memory server on 127.0.0.1 with base
 * {@code dc=example,dc=org}, people under {@code ou=people} ({@code uid=…}), {@code groupOfNames}
 * groups under {@code ou=groups} and a service account that Berth searches as (anonymous searches
 * are refused, as in most directories). Add people and groups, then {@link #start}; groups can
 * change while it runs.
 */
public final class TestDirectory implements AutoCloseable {
  public static final String BASE = "dc=example,dc=org";
  public static final String BIND_DN = "cn=berth,ou=services," + BASE;
  public static final String BIND_PASSWORD = "berth-bind-secret";

  private final InMemoryDirectoryServer server;

  private TestDirectory(InMemoryDirectoryServer server) {
    this.server = server;
  }

  /** A directory with the base entries and the service account, not listening yet. */
  public static TestDirectory create() {
    try {
      var config = new InMemoryDirectoryServerConfig(BASE);
      config.setListenerConfigs(
          InMemoryListenerConfig.createLDAPConfig(
              "ldap", InetAddress.getByName("127.0.0.1"), 0, null));
      config.setSchema(null);
      config.setAuthenticationRequiredOperationTypes(OperationType.SEARCH);
      var server = new InMemoryDirectoryServer(config);
      server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
      for (String ou : List.of("people", "groups", "services")) {
        server.add("dn: ou=" + ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou);
      }
      server.add(
          "dn: " + BIND_DN,
          "objectClass: person",
          "cn: berth",
          "sn: berth",
          "userPassword: " + BIND_PASSWORD);
      return new TestDirectory(server);
    } catch (LDAPException | LDIFException | UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds a person; {@code cn} is "Given Family". */
  public TestDirectory person(String uid, String cn, String password) {
    return add(
        "dn: " + personDn(uid),
        "objectClass: inetOrgPerson",
        "uid: " + uid,
        "cn: " + cn,
        "sn: " + cn.split(" ")[1],
        "userPassword: " + password);
  }

  /** Adds a group with these people (uids) as members. */
  public TestDirectory group(String cn, String... uids) {
    String[] lines = new String[3 + uids.length];
    lines[0] = "dn: " + groupDn(cn);
    lines[1] = "objectClass: groupOfNames";
    lines[2] = "cn: " + cn;
    for (int i = 0; i < uids.length; i++) {
      lines[3 + i] = "member: " + personDn(uids[i]);
    }
    return add(lines);
  }

  /** Takes a person out of a group, as a directory administrator would. */
  public void removeMember(String group, String uid) {
    try {
      server.modify(
          "dn: " + groupDn(group),
          "changetype: modify",
          "delete: member",
          "member: " + personDn(uid));
    } catch (LDAPException | LDIFException e) {
      throw new IllegalStateException(e);
    }
  }

  public TestDirectory start() {
    try {
      server.startListening();
      return this;
    } catch (LDAPException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String personDn(String uid) {
    return "uid=" + uid + ",ou=people," + BASE;
  }

  public static String groupDn(String cn) {
    return "cn=" + cn + ",ou=groups," + BASE;
  }

  /** Berth's {@code berth.security.ldap.*} settings to reach this directory (no group mappings). */
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("berth.security.ldap.url", "ldap://127.0.0.1:" + server.getListenPort() + "/" + BASE);
    s.put("berth.security.ldap.bind-dn", BIND_DN);
    s.put("berth.security.ldap.bind-password", BIND_PASSWORD);
    s.put("berth.security.ldap.user-search-base", "ou=people");
    s.put("berth.security.ldap.group-search-base", "ou=groups");
    return s;
  }

  private TestDirectory add(String... ldif) {
    try {
      server.add(ldif);
      return this;
    } catch (LDAPException | LDIFException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops listening; idempotent. */
  @Override
  public void close() {
    server.shutDown(true);
  }
}
