package dev.berth.server.web;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API description at {@code /api/v1/openapi.json}, complete enough to generate a client from:
 * title and Berth's version, bearer tokens on every operation, operation ids that say which object
 * they act on, and every error an operation can answer ({@link ProblemStatuses}) as {@code
 * application/problem+json} with the {@code ProblemDetail} schema.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
  static final String PROBLEM = "ProblemDetail";

  @Bean
  OpenAPI berthOpenApi(ObjectProvider<BuildProperties> build) {
    BuildProperties b = build.getIfAvailable();
    return new OpenAPI()
        .info(
            new Info()
                .title("Berth API")
                .version(b == null ? "development" : b.getVersion())
                .description(
                    "Applications, tasks, images and builds on Berth. Every call needs an API token as 'Authorization: Bearer <token>'."
                        + " Lists answer {items, next, total}: send next as cursor for the following page. Times are RFC 3339 in UTC."
                        + " Errors are application/problem+json; invalid input names each field in errors[]."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                            "An API token: the first start writes the admin's to <data dir>/admin-token; POST /api/v1/users/{user}/tokens makes more")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  static {
    // Enums in the description as they are on the wire (their lower-case toString, see JsonConfig).
    io.swagger.v3.core.util.Json.mapper().enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
    io.swagger.v3.core.util.Json31.mapper()
        .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
  }

  private static Schema<?> fieldErrorSchema() {
    return new ObjectSchema()
        .description("What is wrong with one field and how to fix it")
        .addProperty("field", new StringSchema().example("resources.memoryMiB"))
        .addProperty("message", new StringSchema().example("must be >= 4, was -1"))
        .required(List.of("field", "message"));
  }

  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description("An RFC 9457 problem: what went wrong and how to fix it")
        .addProperty("type", new StringSchema().example("about:blank"))
        .addProperty("title", new StringSchema().example("Invalid request"))
        .addProperty("status", new IntegerSchema().example(400))
        .addProperty(
            "detail", new StringSchema().example("resources.memoryMiB: must be >= 4, was -1"))
        .addProperty("instance", new StringSchema().example("/api/v1/apps"))
        .addProperty(
            "errors",
            new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldError")))
        .required(List.of("title", "status"));
  }

  /**
   * Operation ids named after the object and the action ({@code appList}, {@code taskCreate}):
   * unique, and readable as client methods.
   */
  @Bean
  OperationCustomizer berthOperationIds() {
    return (operation, handler) -> {
      String type = handler.getBeanType().getSimpleName().replaceFirst("Api$", "");
      String method = handler.getMethod().getName();
      operation.setOperationId(
          Character.toLowerCase(type.charAt(0))
              + type.substring(1)
              + Character.toUpperCase(method.charAt(0))
              + method.substring(1));
      return operation;
    };
  }

  /** Adds the error answers of every operation, as {@link ProblemStatuses} decides them. */
  @Bean
  OpenApiCustomizer berthProblems() {
    return api -> {
      api.getComponents()
          .addSchemas("FieldError", fieldErrorSchema())
          .addSchemas(PROBLEM, problemSchema());
      api.getPaths()
          .forEach(
              (path, item) ->
                  item.readOperationsMap()
                      .forEach((method, op) -> addProblems(path, method.name(), op)));
    };
  }

  private static void addProblems(
      String path, String method, io.swagger.v3.oas.models.Operation op) {
    List<String> params =
        op.getParameters() == null
            ? List.of()
            : op.getParameters().stream().map(p -> p.getName()).toList();
    for (Map.Entry<Integer, String> e :
        ProblemStatuses.of(path, method, params, op.getRequestBody() != null).entrySet()) {
      String code = Integer.toString(e.getKey());
      if (op.getResponses().get(code) == null) {
        op.getResponses()
            .addApiResponse(code, new ApiResponse().description(e.getValue()).content(problem()));
      }
    }
    // an error an operation declares itself, with its own description, is a problem document too
    op.getResponses()
        .forEach(
            (code, response) -> {
              if (code.matches("[45]\\d\\d")
                  && (response.getContent() == null
                      || !response.getContent().containsKey("application/problem+json"))) {
                response.content(problem());
              }
            });
  }

  private static Content problem() {
    return new Content()
        .addMediaType(
            "application/problem+json",
            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
  }
}
