package dev.berth.server.it;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * A multipart/form-data body built by hand for {@link java.net.http.HttpClient}. Not thread-safe.
 */
final class Multipart {
  private final String boundary = "berth-it-" + Long.toHexString(System.nanoTime());
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  /**
   * A JSON part (sent as a file part with Content-Type application/json, as curl -F 'x=@f;type=...'
   * does).
   */
  Multipart json(String name, String json) {
    return part(name, name + ".json", "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  Multipart file(String name, String filename, byte[] content) {
    return part(name, filename, "application/octet-stream", content);
  }

  private Multipart part(String name, String filename, String type, byte[] content) {
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"; filename=\""
            + filename
            + "\"\r\nContent-Type: "
            + type
            + "\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    return this;
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  HttpRequest.BodyPublisher publisher() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(body.toByteArray());
    all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.BodyPublishers.ofByteArray(all.toByteArray());
  }
}
