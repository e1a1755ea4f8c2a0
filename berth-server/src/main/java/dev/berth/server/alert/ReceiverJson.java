package dev.berth.server.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.alert.Durations;
import dev.berth.core.alert.Receiver;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A receiver on the wire. {@code secret} (webhooks: the HMAC key of {@code X-Berth-Signature}) goes
 * in with POST, or is generated, and comes out only in the answer to that POST.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceiverJson(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "ops") String name,
    @Schema(example = "payments") String team,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"webhook", "email", "alertmanager"})
        String type,
    @Schema(example = "https://hooks.example.com/berth") String url,
    @Schema(allowableValues = {"generic", "slack", "dingtalk", "wecom", "feishu"}) String format,
    List<String> to,
    String secret,
    @Schema(example = "4h") String repeat,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) Boolean hasSecret) {

  static ReceiverJson of(Receiver r, String shownSecret) {
    return new ReceiverJson(
        r.name(),
        r.team(),
        r.type().toString(),
        r.url(),
        r.type() == Receiver.Type.WEBHOOK ? r.format().toString() : null,
        r.type() == Receiver.Type.EMAIL ? r.to() : null,
        shownSecret,
        Durations.format(r.repeat()),
        r.type() == Receiver.Type.WEBHOOK ? r.secret() != null : null);
  }
}
