package dev.berth.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.access.CurrentUser;
import dev.berth.server.access.Role;
import dev.berth.server.access.User;
import dev.berth.server.config.BerthProperties;
import dev.berth.server.config.StoreConfig;
import dev.berth.server.user.AdminBootstrap;
import dev.berth.server.user.UserService;
import dev.berth.server.web.ProblemHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The security filter chains over real HTTP, with only Berth's security, users and stores wired
 * (the rest of the server is not needed to decide who may call what).
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(
    classes = ApiSecurityTest.TestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiSecurityTest {
  static final String ADMIN_TOKEN = "berth_api-security-test-admin-token-0123456789";
  static final Path DATA_DIR = createDataDir();

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableConfigurationProperties(BerthProperties.class)
  @Import({
    SecurityConfig.class,
    ProblemHandler.class,
    StoreConfig.class,
    UserService.class,
    AdminBootstrap.class,
    ProbeApi.class,
    CatchAllAdvice.class
  })
  static class TestApp {}

  /** Endpoints that show what the security layer hands to controllers. */
  @RestController
  static class ProbeApi {
    @GetMapping("/api/v1/test/whoami")
    Map<String, Object> whoami(
        Authentication auth, Principal principal, @AuthenticationPrincipal User user) {
      return Map.of(
          "name",
          auth.getName(),
          "principal",
          principal.getName(),
          "role",
          user.role().toString(),
          "current",
          CurrentUser.name());
    }

    @GetMapping("/api/v1/test/admin-only")
    @PreAuthorize("hasRole('ADMIN')")
    Map<String, Object> adminOnly() {
      return Map.of("ok", true);
    }

    @GetMapping("/portal-page")
    String page(Principal principal) {
      return "hello " + principal.getName();
    }
  }

  /** Like the server's own problem handler: catches everything, so security must answer first. */
  @RestControllerAdvice
  static class CatchAllAdvice {
    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e) {
      return ResponseEntity.internalServerError()
          .body("unexpected " + e.getClass().getSimpleName());
    }
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () -> "jdbc:h2:mem:security-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    registry.add("berth.data-dir", DATA_DIR::toString);
    registry.add("berth.admin-token", () -> ADMIN_TOKEN);
    registry.add("management.endpoints.web.exposure.include", () -> "health,prometheus");
  }

  @LocalServerPort int port;
  @Autowired UserService users;
  @Autowired ObjectMapper mapper;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void refusesAnApiCallWithoutATokenWithAProblemThatSaysWhereTheTokenIs() throws Exception {
    HttpResponse<String> r = get("/api/v1/apps", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(mapper.readValue(r.body(), Map.class))
        .isEqualTo(
            Map.of(
                "type",
                "about:blank",
                "title",
                "Unauthorized",
                "status",
                401,
                "detail",
                "a valid API token is required: send 'Authorization: Bearer <token>' (the admin token is in "
                    + DATA_DIR.resolve("admin-token")
                    + ")"));
  }

  @Test
  void refusesAnUnknownTokenSayingItIsInvalid() throws Exception {
    HttpResponse<String> r = get("/api/v1/test/whoami", "berth_not-a-real-token");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer error=\"invalid_token\"");
    assertThat(r.body()).contains("\"title\":\"Unauthorized\"");
  }

  @Test
  void handsTheTokensUserToControllers() throws Exception {
    HttpResponse<String> r = get("/api/v1/test/whoami", ADMIN_TOKEN);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(mapper.readValue(r.body(), Map.class))
        .isEqualTo(
            Map.of("name", "admin", "principal", "admin", "role", "admin", "current", "admin"));
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(get("/api/v1/test/whoami", ADMIN_TOKEN, "bearer").statusCode()).isEqualTo(200);
  }

  @Test
  void forbidsWhatTheRoleMayNotDoWithAProblem() throws Exception {
    String viewerToken = viewerToken();

    HttpResponse<String> r = get("/api/v1/test/admin-only", viewerToken);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(mapper.readValue(r.body(), Map.class))
        .containsEntry("title", "Forbidden")
        .containsEntry("status", 403);
    assertThat(get("/api/v1/test/admin-only", ADMIN_TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void leavesHealthOpenButNotMetrics() throws Exception {
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    HttpResponse<String> metrics = get("/actuator/prometheus", ADMIN_TOKEN);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_");
  }

  @Test
  void requiresAUserOnOtherPathsToo() throws Exception {
    assertThat(get("/portal-page", null).statusCode()).isEqualTo(401);
    HttpResponse<String> r = get("/portal-page", ADMIN_TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello admin");
  }

  @Test
  void wroteTheAdminTokenFileOnStart() throws Exception {
    assertThat(Files.readString(DATA_DIR.resolve("admin-token")).strip()).isEqualTo(ADMIN_TOKEN);
  }

  private String viewerToken() {
    if (users.find("vera").isEmpty()) {
      users.create("vera", "veras-password", Role.MEMBER);
    }
    return users.issueToken("vera", "test", null).secret();
  }

  private HttpResponse<String> get(String path, String token)
      throws IOException, InterruptedException {
    return get(path, token, "Bearer");
  }

  private HttpResponse<String> get(String path, String token, String scheme)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    if (token != null) {
      b.header("Authorization", scheme + " " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Path createDataDir() {
    try {
      Path dir = Files.createTempDirectory("berth-security-test");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
