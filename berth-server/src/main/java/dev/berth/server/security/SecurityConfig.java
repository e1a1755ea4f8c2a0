package dev.berth.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.config.BerthProperties;
import dev.berth.server.security.signin.PortalEntryPoint;
import dev.berth.server.user.AdminBootstrap;
import dev.berth.server.user.UserService;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Who may call what. Two filter chains:
 *
 * <ol>
 *   <li>{@link #apiSecurity} for {@code /api/**} and {@code /actuator/**}: stateless, no CSRF,
 *       every request needs {@code Authorization: Bearer <token>} except {@code
 *       /actuator/health/**}.
 *   <li>{@link #defaultSecurity} for everything else (the portal's pages): form login with a
 *       session and CSRF protection; a bearer token works too, and a non-browser request without
 *       either gets the same 401 problem as the API.
 * </ol>
 *
 * Failures answer {@code application/problem+json} ({@link ProblemResponses}). Method security is
 * on, so controllers may use {@code @PreAuthorize("hasRole('ADMIN')")}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableMethodSecurity
@Import(SignInConfig.class)
public class SecurityConfig {
  /** Order of {@link #apiSecurity}; other chains for narrower paths go before it. */
  public static final int API_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  @Bean
  public PasswordEncoder passwordEncoder() {
    return UserService.defaultPasswordEncoder();
  }

  @Bean
  public PasswordAuthenticationProvider passwordAuthenticationProvider(UserService users) {
    return new PasswordAuthenticationProvider(users);
  }

  @Bean
  public BearerTokenFilter bearerTokenFilter(UserService users) {
    return new BearerTokenFilter(users);
  }

  /** Keeps Spring Boot from also registering the filter for every request outside the chains. */
  @Bean
  public FilterRegistrationBean<BearerTokenFilter> bearerTokenFilterRegistration(
      BearerTokenFilter filter) {
    var registration = new FilterRegistrationBean<>(filter);
    registration.setEnabled(false);
    return registration;
  }

  @Bean
  public ProblemResponses problemResponses(ObjectMapper mapper, BerthProperties properties) {
    return new ProblemResponses(mapper, AdminBootstrap.tokenFile(properties));
  }

  @Bean
  @Order(API_ORDER)
  public SecurityFilterChain apiSecurity(
      HttpSecurity http,
      BearerTokenFilter bearer,
      ProblemResponses problems,
      SignInCustomizer signIn)
      throws Exception {
    http.securityMatcher("/api/**", "/actuator/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .securityContext(
            c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
        .requestCache(c -> c.disable())
        .formLogin(f -> f.disable())
        .httpBasic(b -> b.disable())
        .logout(l -> l.disable())
        .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated());
    signIn.api(http);
    return http.build();
  }

  /**
   * The web terminal's sockets under {@code /api/v1}: a bearer token (the CLI) or the portal's
   * session cookie (the terminal page) authenticates the upgrade; no session is created. No CSRF
   * token: the upgrade is a GET, and the socket accepts browser pages of Berth's own origin only.
   */
  @Bean
  @Order(API_ORDER - 10)
  public SecurityFilterChain terminalSecurity(
      HttpSecurity http,
      BearerTokenFilter bearer,
      ProblemResponses problems,
      SignInCustomizer signIn)
      throws Exception {
    http.securityMatcher("/api/v1/apps/*/instances/*/terminal", "/api/v1/runs/*/terminal")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
        .requestCache(c -> c.disable())
        .formLogin(f -> f.disable())
        .httpBasic(b -> b.disable())
        .logout(l -> l.disable())
        .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .authorizeHttpRequests(a -> a.anyRequest().authenticated());
    signIn.api(http);
    return http.build();
  }

  /**
   * The portal's pages: form login on {@code /signin} (local accounts), a session that expires
   * after {@code server.servlet.session.timeout} of inactivity, sign-out with {@code POST
   * /signout}, CSRF on every form. Scripts may still send a bearer token; a request that is not
   * from a browser gets the same 401 problem as the API.
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE - 100)
  public SecurityFilterChain defaultSecurity(
      HttpSecurity http,
      BearerTokenFilter bearer,
      ProblemResponses problems,
      SignInCustomizer signIn)
      throws Exception {
    PortalEntryPoint entry = new PortalEntryPoint(problems);
    http.formLogin(
            f ->
                f.loginPage(PortalEntryPoint.SIGN_IN)
                    .loginProcessingUrl(PortalEntryPoint.SIGN_IN)
                    .defaultSuccessUrl("/apps", false)
                    .failureUrl(PortalEntryPoint.SIGN_IN + "?error")
                    .permitAll())
        .logout(
            l ->
                l.logoutUrl("/signout")
                    .logoutSuccessUrl(PortalEntryPoint.SIGN_IN + "?signedout")
                    .deleteCookies("JSESSIONID"))
        .sessionManagement(s -> s.invalidSessionStrategy(entry))
        .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(entry))
        .authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers(
                        PortalEntryPoint.SIGN_IN,
                        "/error",
                        "/css/**",
                        "/webjars/**",
                        "/favicon.ico")
                    .permitAll()
                    .anyRequest()
                    .authenticated());
    signIn.portal(http);
    return http.build();
  }
}
