package dev.berth.server.terminal;

import dev.berth.server.web.ProblemStatuses;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The terminal sockets in the API description: WebSocket upgrades are not MVC endpoints, so
 * springdoc does not see them; they are added here with every answer they can give.
 */
@Configuration(proxyBeanMethods = false)
public class TerminalOpenApi {
  private static final String INSTANCE = "/api/v1/apps/{app}/instances/{instance}/terminal";
  private static final String RUN = "/api/v1/runs/{run}/terminal";

  @Bean
  OpenApiCustomizer terminalSockets() {
    return api -> {
      api.path(
          INSTANCE,
          new PathItem()
              .get(
                  operation(
                      INSTANCE,
                      "openInstanceTerminal",
                      "Open a terminal (TTY) in a running instance",
                      List.of(path("app"), path("instance")))));
      api.path(
          RUN,
          new PathItem()
              .get(
                  operation(
                      RUN,
                      "openRunTerminal",
                      "Open a terminal (TTY) in a running run, or on the kept filesystem of a failed one",
                      List.of(path("run")))));
    };
  }

  private static Operation operation(
      String url, String id, String summary, List<Parameter> params) {
    Operation op =
        new Operation()
            .operationId(id)
            .addTagsItem("terminals")
            .summary(summary)
            .description(
                "A WebSocket upgrade (needs instance.exec in the team). Binary frames carry the"
                    + " terminal's bytes both ways; text frames are JSON control messages:"
                    + " {\"type\":\"resize\",\"cols\":120,\"rows\":40} from the client,"
                    + " {\"type\":\"opened\",\"session\":\"…\"} and"
                    + " {\"type\":\"closed\",\"reason\":\"…\",\"exitCode\":0} from Berth."
                    + " Refusals come before the upgrade as problems.");
    params.forEach(op::addParametersItem);
    op.addParametersItem(size("cols", 80)).addParametersItem(size("rows", 24));
    ApiResponses responses =
        new ApiResponses()
            .addApiResponse(
                "101", new ApiResponse().description("Switching to the terminal's WebSocket"));
    ProblemStatuses.of(url, "GET", List.of("cols", "rows"), false)
        .forEach((code, text) -> responses.addApiResponse(code.toString(), problem(text)));
    responses.addApiResponse(
        "409",
        problem("The instance is not running, or the run ended and its filesystem is not kept"));
    return op.responses(responses);
  }

  private static ApiResponse problem(String text) {
    Schema<?> ref = new Schema<>().$ref("#/components/schemas/ProblemDetail");
    return new ApiResponse()
        .description(text)
        .content(
            new Content().addMediaType("application/problem+json", new MediaType().schema(ref)));
  }

  private static Parameter path(String name) {
    return new Parameter().in("path").name(name).required(true).schema(new StringSchema());
  }

  private static Parameter size(String name, int fallback) {
    return new Parameter()
        .in("query")
        .name(name)
        .description("the terminal's first size, 1 to 1000; resize later with a control message")
        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)._default(fallback));
  }
}
