package dev.berth.server.security.signin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Throttling of sign-ins and API token guessing ({@code berth.security.signin.*}).
 *
 * @param maxFailures failed sign-ins for one user name within {@code window} that lock that name
 * @param maxFailuresPerAddress failed sign-ins from one client address within {@code window} that
 *     lock that address (higher than per name: several people may share an address)
 * @param window how far back failures count
 * @param lockout how long a locked name or address stays locked
 * @param maxTokenFailures requests with an unknown or expired bearer token from one address within
 *     {@code window} after which that address gets 429 for {@code lockout}
 * @param capacity how many names and addresses each counter tracks at most
 */
@ConfigurationProperties("berth.security.signin")
public record SignInProperties(
    @DefaultValue("5") int maxFailures,
    @DefaultValue("20") int maxFailuresPerAddress,
    @DefaultValue("15m") Duration window,
    @DefaultValue("15m") Duration lockout,
    @DefaultValue("20") int maxTokenFailures,
    @DefaultValue("100000") int capacity) {}
