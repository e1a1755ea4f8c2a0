package dev.berth.server.security.signin;

/**
 * One line of a provider's group mapping: members of {@code group} get {@code role} in {@code
 * team}, e.g. {@code group=cn=payments-devs,ou=groups,dc=example,dc=org}, {@code team=payments},
 * {@code role=developer}. For LDAP the group is a group entry's DN or its {@code cn}; for OpenID
 * Connect a value of the groups claim. Groups compare case-insensitively (DNs also ignoring spaces
 * after commas).
 */
public record GroupMapping(String group, String team, String role) {}
