package dev.berth.runtime.local;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageStore;
import dev.berth.oci.PreparedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real image for tests: a root file system made from the host's static {@code /bin/busybox} with
 * applet links, a web page and {@code /etc/passwd}. Serves {@code busybox} (Cmd {@code sh}); every
 * other reference is unknown.
 */
final class BusyboxImages implements ImageStore {
  static final Path BUSYBOX = Path.of("/bin/busybox");
  static final List<String> APPLETS =
      List.of(
          "sh",
          "httpd",
          "sleep",
          "echo",
          "cat",
          "true",
          "false",
          "kill",
          "wget",
          "nc",
          "ls",
          "ps",
          "id",
          "touch",
          "rm",
          "mkdir",
          "date",
          "seq",
          "yes",
          "head",
          "dd",
          "env",
          "hostname",
          "ip",
          "ifconfig",
          "grep",
          "wc",
          "mknod",
          "mount",
          "unshare",
          "stat");
  private final Path rootfs;
  final AtomicInteger prepared = new AtomicInteger();

  BusyboxImages(Path dir) {
    this.rootfs = dir.resolve("busybox-rootfs");
    try {
      Files.createDirectories(rootfs.resolve("bin"));
      Files.copy(
          BUSYBOX,
          rootfs.resolve("bin/busybox"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      for (String a : APPLETS) {
        Files.createSymbolicLink(rootfs.resolve("bin").resolve(a), Path.of("busybox"));
      }
      for (String d : List.of("www", "etc", "tmp", "proc", "sys", "dev", "root", "var/log")) {
        Files.createDirectories(rootfs.resolve(d));
      }
      Files.writeString(rootfs.resolve("www/index.html"), "<h1>hello from berth</h1>\n");
      Files.writeString(
          rootfs.resolve("etc/passwd"),
          "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/www:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
      Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nwww:x:33:\nnogroup:x:65534:\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean available() {
    return Files.isExecutable(BUSYBOX);
  }

  @Override
  public String resolve(String reference) {
    if (!reference.startsWith("busybox")) {
      throw new ImageNotFoundException("image " + reference + " does not exist");
    }
    return "sha256:" + "0".repeat(64);
  }

  @Override
  public PreparedImage prepare(String reference) {
    String digest = resolve(reference);
    prepared.incrementAndGet();
    ImageConfig config =
        new ImageConfig(
            List.of(),
            List.of("sh"),
            List.of("PATH=/bin", "IMAGE_VAR=1"),
            "/",
            "",
            List.of(),
            Map.of(),
            null);
    return new PreparedImage(reference, digest, rootfs, config);
  }
}
