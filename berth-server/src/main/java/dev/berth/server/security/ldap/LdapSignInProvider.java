package dev.berth.server.security.ldap;

import dev.berth.server.access.User;
import dev.berth.server.access.UserAuthentication;
import dev.berth.server.security.signin.ExternalNames;
import dev.berth.server.security.signin.GrantMapper;
import dev.berth.server.security.signin.SignInUnavailableException;
import dev.berth.server.user.ExternalSignIn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.NamingEnumeration;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.springframework.ldap.core.DirContextOperations;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.ldap.DefaultSpringSecurityContextSource;
import org.springframework.security.ldap.authentication.BindAuthenticator;
import org.springframework.security.ldap.search.FilterBasedLdapUserSearch;

/**
 * User name and password against an LDAP directory: finds the user's entry with the search filter
 * (as {@code bindDn}, or anonymously), binds as that entry with the typed password, reads the
 * user's groups, maps them to team grants ({@link GrantMapper}) and hands them to {@link
 * ExternalSignIn}. A wrong password or unknown user is a {@link BadCredentialsException}; a
 * directory that cannot be reached is a {@link SignInUnavailableException}, which the portal shows
 * as such (local accounts are checked before this provider, so they work while the directory is
 * down).
 */
public final class LdapSignInProvider implements AuthenticationProvider {
  static final String SOURCE = "ldap";

  private final LdapProperties properties;
  private final BindAuthenticator authenticator;
  private final LdapTemplate template;
  private final GrantMapper mapper;
  private final ExternalSignIn signIn;

  public LdapSignInProvider(LdapProperties properties, ExternalSignIn signIn) {
    this.properties = properties;
    this.signIn = signIn;
    this.mapper =
        new GrantMapper(
            "berth.security.ldap", properties.groupMappings(), properties.adminGroups());
    DefaultSpringSecurityContextSource source =
        new DefaultSpringSecurityContextSource(properties.url());
    if (properties.bindDn() != null && !properties.bindDn().isBlank()) {
      source.setUserDn(properties.bindDn());
      source.setPassword(properties.bindPassword() == null ? "" : properties.bindPassword());
    }
    String millis = Long.toString(properties.timeout().toMillis());
    source.setBaseEnvironmentProperties(
        Map.of(
            "com.sun.jndi.ldap.connect.timeout", millis, "com.sun.jndi.ldap.read.timeout", millis));
    source.afterPropertiesSet();
    this.authenticator = new BindAuthenticator(source);
    authenticator.setUserSearch(
        new FilterBasedLdapUserSearch(
            properties.userSearchBase(), properties.userSearchFilter(), source));
    this.template = new LdapTemplate(source);
    template.setIgnorePartialResultException(true);
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String typed = authentication.getName();
    try {
      DirContextOperations entry = authenticator.authenticate(authentication);
      String dn = entry.getNameInNamespace();
      String external = entry.getStringAttribute(properties.usernameAttribute());
      String name =
          ExternalNames.of(external == null ? typed : external)
              .orElseThrow(
                  () ->
                      new BadCredentialsException(
                          "the directory's user name '"
                              + external
                              + "' cannot be a Berth user name"));
      GrantMapper.Grants grants = mapper.map(groups(dn, typed));
      User user = signIn.signIn(SOURCE, name, grants.admin(), grants.grants());
      return new UserAuthentication(user);
    } catch (UsernameNotFoundException e) {
      throw new BadCredentialsException("wrong user name or password");
    } catch (org.springframework.ldap.NamingException e) {
      throw new SignInUnavailableException(
          "LDAP directory " + properties.url() + " did not answer: " + e.getMessage(), e);
    }
  }

  /** The DNs and names of the groups the user's entry is a member of. */
  private List<String> groups(String userDn, String typed) {
    SearchControls controls = new SearchControls();
    controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
    controls.setReturningAttributes(new String[] {"cn"});
    return template.executeReadOnly(
        ctx -> {
          List<String> found = new ArrayList<>();
          NamingEnumeration<SearchResult> results =
              ctx.search(
                  properties.groupSearchBase(),
                  properties.groupSearchFilter(),
                  new Object[] {userDn, typed},
                  controls);
          try {
            while (results.hasMore()) {
              SearchResult r = results.next();
              found.add(r.getNameInNamespace());
              var cn = r.getAttributes().get("cn");
              if (cn != null && cn.get() != null) {
                found.add(cn.get().toString());
              }
            }
          } finally {
            results.close();
          }
          return found;
        });
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
