package dev.berth.server.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Talks to nginx's control server on its unix socket: HTTP/1.0, one request per connection. Only
 * processes that may enter the socket's directory (root's, 0700) reach it; nothing listens on a
 * port for it.
 */
final class ControlSocket {
  private final Path socket;

  ControlSocket(Path socket) {
    this.socket = socket;
  }

  /** GET {@code path}: the body of a 200 answer; throws on any other. */
  String get(String path) {
    return exchange("GET", path, "");
  }

  /** POST {@code body} to {@code path}: the body of a 200 answer; throws on any other. */
  String post(String path, String body) {
    return exchange("POST", path, body);
  }

  private String exchange(String method, String path, String body) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.0\r\nHost: berth\r\nContent-Length: "
            + content.length
            + "\r\n\r\n";
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer out = ByteBuffer.wrap(content);
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      while (ch.read(in) >= 0) {
        answer.write(in.array(), 0, in.position());
        in.clear();
      }
      String text = answer.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String status = text.substring(0, Math.max(0, text.indexOf("\r\n")));
      if (end < 0 || !status.contains(" 200 ")) {
        throw new GatewayException("nginx's control socket answered '" + status + "' to " + path);
      }
      return text.substring(end + 4);
    } catch (IOException e) {
      throw new UncheckedIOException("nginx's control socket " + socket + ": " + e.getMessage(), e);
    }
  }
}
