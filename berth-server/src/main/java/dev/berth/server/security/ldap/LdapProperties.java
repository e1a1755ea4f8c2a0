package dev.berth.server.security.ldap;

import dev.berth.server.security.signin.GroupMapping;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in against an LDAP directory ({@code berth.security.ldap.*}); on when {@code url} is set.
 *
 * @param url the directory with its base DN, e.g. {@code
 *     ldaps://ldap.example.org:636/dc=example,dc=org}; the search bases below are relative to that
 *     base
 * @param bindDn who searches for the user's entry (empty: anonymous search), a full DN
 * @param bindPassword that account's password
 * @param userSearchBase where users are, e.g. {@code ou=people}
 * @param userSearchFilter how to find the user by the typed name ({@code {0}}), e.g. {@code
 *     (uid={0})}
 * @param usernameAttribute the attribute that becomes the Berth user name (made DNS-safe)
 * @param groupSearchBase where groups are, e.g. {@code ou=groups}
 * @param groupSearchFilter the user's groups: {@code {0}} is the user's DN, {@code {1}} the typed
 *     name
 * @param groupMappings group → team and role
 * @param adminGroups groups whose members are Berth admins (DNs or names)
 * @param timeout how long to wait for the directory to connect and to answer
 */
@ConfigurationProperties("berth.security.ldap")
public record LdapProperties(
    String url,
    String bindDn,
    String bindPassword,
    @DefaultValue("") String userSearchBase,
    @DefaultValue("(uid={0})") String userSearchFilter,
    @DefaultValue("uid") String usernameAttribute,
    @DefaultValue("") String groupSearchBase,
    @DefaultValue("(member={0})") String groupSearchFilter,
    @DefaultValue List<GroupMapping> groupMappings,
    @DefaultValue List<String> adminGroups,
    @DefaultValue("5s") Duration timeout) {

  public boolean enabled() {
    return url != null && !url.isBlank();
  }

  @Override
  public String toString() {
    return "LdapProperties[url=" + url + ", bindDn=" + bindDn + ", bindPassword=***]";
  }
}
