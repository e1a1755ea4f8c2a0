package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/push-demo-image}, which the README tour uses, against a real registry. */
class PushDemoImageScriptIT {
  static final Path SCRIPT =
      Path.of("..", "scripts", "push-demo-image").toAbsolutePath().normalize();

  @TempDir Path root;

  static String run(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = SCRIPT.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
      assertThat(process.exitValue()).as("exit code of " + String.join(" ", command)).isZero();
      return out.strip();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void pushesADeterministicBusyboxWebImageThatPreparesAndServesTheGivenPage() throws Exception {
    try (TestRegistry registry = TestRegistry.start();
        RegistryClient client = RegistryClient.anonymous()) {
      String first = run(registry.host() + "/demo/busybox:1", "hello from the script");
      String second = run(registry.host() + "/demo/busybox:2", "hello from the script");

      assertThat(first).isEqualTo(registry.host() + "/demo/busybox:1");
      OciImageStore store = new OciImageStore(root, client);
      assertThat(store.resolve(second)).isEqualTo(store.resolve(first));
      PreparedImage image = store.prepare(first);
      assertThat(image.rootfs().resolve("www/index.html")).hasContent("hello from the script");
      assertThat(Files.isExecutable(image.rootfs().resolve("bin/busybox"))).isTrue();
      assertThat(Files.readSymbolicLink(image.rootfs().resolve("bin/httpd")))
          .isEqualTo(Path.of("busybox"));
      assertThat(image.config().cmd()).containsExactly("httpd", "-f", "-p", "8080", "-h", "/www");
    }
  }
}
