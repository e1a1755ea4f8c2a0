package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;

/**
 * The API description is good enough to generate a working client from: fetch it from a running
 * Berth, generate a Java client with OpenAPI Generator (library {@code native}), compile it, and
 * use it to list apps, create one, and get errors as exceptions carrying their status.
 */
class OpenApiClientIT {
  static LocalBerth fixture;
  static BerthServer berth;
  static JsonNode document;
  static URLClassLoader client;

  @BeforeAll
  static void generateAndCompileAClient() throws Exception {
    fixture = LocalBerth.start(119, "openapi", Map.of());
    berth = fixture.berth;
    HttpResponse<String> doc = berth.call("GET", "/api/v1/openapi.json", null);
    assertThat(doc.statusCode()).isEqualTo(200);
    document = BerthServer.json(doc.body());
    Path dir = Files.createTempDirectory("berth-openapi-client-");
    Path spec = dir.resolve("openapi.json");
    Files.writeString(spec, doc.body());
    Files.writeString(Path.of("target", "openapi.json"), doc.body());
    Path out = dir.resolve("client");
    CodegenConfigurator config =
        new CodegenConfigurator()
            .setGeneratorName("java")
            .setLibrary("native")
            .setInputSpec(spec.toString())
            .setOutputDir(out.toString())
            .setInvokerPackage("berthclient")
            .setApiPackage("berthclient.api")
            .setModelPackage("berthclient.model")
            .addAdditionalProperty("useJakartaEe", true)
            .addAdditionalProperty("openApiNullable", false)
            .addAdditionalProperty("hideGenerationTimestamp", true)
            .addAdditionalProperty("annotationLibrary", "none");
    config.setValidateSpec(true);
    DefaultGenerator generator = new DefaultGenerator();
    generator.setGeneratorPropertyDefault("apiTests", "false");
    generator.setGeneratorPropertyDefault("modelTests", "false");
    generator.setGeneratorPropertyDefault("apiDocs", "false");
    generator.setGeneratorPropertyDefault("modelDocs", "false");
    generator.opts(config.toClientOptInput()).generate();
    Path classes = dir.resolve("classes");
    compile(out.resolve("src/main/java"), classes);
    client =
        new URLClassLoader(
            new java.net.URL[] {classes.toUri().toURL()}, OpenApiClientIT.class.getClassLoader());
  }

  @AfterAll
  static void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    LocalBerth.close(fixture);
  }

  static void compile(Path sources, Path classes) throws IOException {
    List<File> files;
    try (Stream<Path> s = Files.walk(sources)) {
      files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
    }
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      boolean ok =
          javac
              .getTask(
                  errors,
                  fm,
                  null,
                  List.of(
                      "-d",
                      classes.toString(),
                      "-classpath",
                      System.getProperty("java.class.path"),
                      "-proc:none",
                      "-nowarn",
                      "-Xlint:none"),
                  null,
                  fm.getJavaFileObjectsFromFiles(files))
              .call();
      assertThat(ok).as("the generated client compiles:\n" + errors).isTrue();
    }
  }

  /** An instance of a generated API class, talking to Berth with the admin's token. */
  static Object api(String name) throws Exception {
    Class<?> clientType = client.loadClass("berthclient.ApiClient");
    Object c = clientType.getConstructor().newInstance();
    clientType.getMethod("updateBaseUri", String.class).invoke(c, berth.baseUrl());
    Consumer<HttpRequest.Builder> token =
        b -> b.header("Authorization", "Bearer " + BerthServer.TOKEN);
    clientType.getMethod("setRequestInterceptor", Consumer.class).invoke(c, token);
    return client.loadClass("berthclient.api." + name).getConstructor(clientType).newInstance(c);
  }

  /**
   * Calls the generated method of that name, passing the arguments given and null for the optional
   * rest.
   */
  static Object call(Object api, String method, Object... args) throws Throwable {
    Method chosen = null;
    for (Method m : api.getClass().getMethods()) {
      if (m.getName().equals(method)
          && m.getParameterCount() >= args.length
          && (chosen == null || m.getParameterCount() < chosen.getParameterCount())) {
        chosen = m;
      }
    }
    if (chosen == null) {
      throw new AssertionError(
          "the generated " + api.getClass().getSimpleName() + " has no method " + method);
    }
    Object[] all = new Object[chosen.getParameterCount()];
    System.arraycopy(args, 0, all, 0, args.length);
    try {
      return chosen.invoke(api, all);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  static Object get(Object bean, String property) throws Exception {
    return bean.getClass()
        .getMethod("get" + Character.toUpperCase(property.charAt(0)) + property.substring(1))
        .invoke(bean);
  }

  static Object model(String type, Map<String, Object> values) throws Exception {
    Object m = client.loadClass("berthclient.model." + type).getConstructor().newInstance();
    for (Map.Entry<String, Object> v : values.entrySet()) {
      for (Method s : m.getClass().getMethods()) {
        if (s.getName()
                .equals(
                    "set" + Character.toUpperCase(v.getKey().charAt(0)) + v.getKey().substring(1))
            && s.getParameterCount() == 1) {
          s.invoke(m, v.getValue());
        }
      }
    }
    return m;
  }

  @Test
  void theDocumentNamesBerthItsVersionTheTokenAndTheProblems() {
    assertThat(document.at("/info/title").asText()).isEqualTo("Berth API");
    assertThat(document.at("/info/version").asText()).isNotBlank().isNotEqualTo("v0");
    assertThat(document.at("/components/securitySchemes/bearer/scheme").asText())
        .isEqualTo("bearer");
    assertThat(document.at("/security/0").has("bearer")).isTrue();
    assertThat(document.at("/components/schemas/ProblemDetail/properties").fieldNames())
        .toIterable()
        .contains("type", "title", "status", "detail", "instance", "errors");
    assertThat(document.at("/components/schemas/AppJson/required").toString())
        .contains("name", "image");
    List<String> odd = new ArrayList<>();
    document
        .path("paths")
        .fieldNames()
        .forEachRemaining(
            p -> {
              if (p.contains("*")) {
                odd.add(p);
              }
              document
                  .path("paths")
                  .path(p)
                  .fields()
                  .forEachRemaining(
                      op -> {
                        String where = op.getKey().toUpperCase() + " " + p;
                        if (op.getValue().path("summary").asText().isBlank()) {
                          odd.add(where + ": no summary");
                        }
                        if (!op.getValue()
                            .at("/responses/401/content")
                            .has("application/problem+json")) {
                          odd.add(where + ": no 401 problem");
                        }
                        if (p.contains("{")
                            && !op.getValue()
                                .at("/responses/404/content")
                                .has("application/problem+json")) {
                          odd.add(where + ": no 404 problem");
                        }
                      });
            });
    assertThat(odd).isEmpty();
    assertThat(document.at("/paths/~1api~1v1~1apps/post/responses").has("201"))
        .as("a create answers 201")
        .isTrue();
    assertThat(document.at("/paths/~1api~1v1~1apps~1{app}/delete/responses").has("202")).isTrue();
    assertThat(document.at("/paths/~1api~1v1~1apps~1{app}/put/responses").has("428")).isTrue();
    assertThat(document.at("/paths/~1api~1v1~1apps~1{app}/put/responses").has("409")).isTrue();
    assertThat(
            document
                .at("/paths/~1api~1v1~1apps~1{app}/patch/requestBody/content")
                .has("application/merge-patch+json"))
        .isTrue();
  }

  @Test
  void aGeneratedClientListsAndCreatesAppsAndSeesErrorsAsExceptions() throws Throwable {
    Object apps = api("AppsApi");
    Object created =
        call(
            apps,
            "appCreate",
            model(
                "AppJson",
                Map.of(
                    "name",
                    "generated",
                    "image",
                    fixture.image,
                    "command",
                    List.of("sleep", "3600"),
                    "instances",
                    0)));
    assertThat(get(created, "name")).isEqualTo("generated");
    assertThat((Long) get(created, "version")).isPositive();

    Object page = call(apps, "appList");
    List<?> items = (List<?>) get(page, "items");
    assertThat(items)
        .extracting(
            a -> {
              try {
                return get(a, "name");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .contains("generated");

    Class<?> apiException = client.loadClass("berthclient.ApiException");
    Method code = apiException.getMethod("getCode");
    assertThatThrownBy(() -> call(apps, "appGet", "no-such-app"))
        .isInstanceOf(apiException)
        .satisfies(e -> assertThat(code.invoke(e)).isEqualTo(404));
    assertThatThrownBy(
            () ->
                call(
                    apps,
                    "appCreate",
                    model("AppJson", Map.of("name", "Bad Name!", "image", fixture.image))))
        .isInstanceOf(apiException)
        .satisfies(
            e -> {
              assertThat(code.invoke(e)).isEqualTo(400);
              assertThat(apiException.getMethod("getResponseBody").invoke(e).toString())
                  .contains("\"field\":\"name\"");
            });

    Object tasks = api("TasksApi");
    Object task =
        call(
            tasks,
            "taskCreate",
            model(
                "TaskJson",
                Map.of(
                    "name",
                    "generated-task",
                    "image",
                    fixture.image,
                    "command",
                    List.of("true"),
                    "trigger",
                    model(
                        "Trigger",
                        Map.of(
                            "type",
                            enumValue("TypeEnum", "Trigger", "cron"),
                            "cron",
                            "0 3 1 1 *")))));
    assertThat(get(task, "nextFireAt")).isNotNull();
  }

  /** A generated enum constant by its wire value. */
  static Object enumValue(String enumName, String owner, String value) throws Exception {
    Class<?> type;
    try {
      type = client.loadClass("berthclient.model." + owner + "$" + enumName);
    } catch (ClassNotFoundException e) {
      type = client.loadClass("berthclient.model." + enumName);
    }
    return type.getMethod("fromValue", String.class).invoke(null, value);
  }
}
