package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contexts, where they live, and the errors of a CLI that does not know where to go. */
class ContextsTest {
  @TempDir Path home;

  record Result(int code, String out, String err) {}

  Result berth(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("HOME", home.toString());
    int code =
        BerthCli.run(
            new Io(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                all),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withoutAContextACommandSaysHowToLogInInOneLine() {
    Result r = berth(Map.of(), "apps", "list");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "berth: no Berth server configured: run 'berth login --server URL --token TOKEN' or set"
                + " BERTH_SERVER and BERTH_TOKEN\n");
  }

  @Test
  void aServerThatIsDownIsOneLineNamingIt() {
    Result r =
        berth(Map.of("BERTH_SERVER", "http://127.0.0.1:9", "BERTH_TOKEN", "t"), "apps", "list");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "berth: cannot reach Berth at http://127.0.0.1:9: connection refused (is it running?)\n");
  }

  @Test
  void contextsAreSavedInTheConfigDirectoryReadableByTheOwnerOnlyAndSwitched() throws Exception {
    Path file = home.resolve(".config/berth/config");
    new Contexts(null, java.util.List.of())
        .with(new Contexts.Context("a", "http://a:1", "ta"))
        .with(new Contexts.Context("b", "http://b:2", "tb"))
        .write(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).contains("current: b").contains("server: http://a:1");

    Result list = berth(Map.of(), "context", "list");
    assertThat(list.out())
        .isEqualTo(
            "CURRENT   NAME   SERVER\n          a      http://a:1\n*         b      http://b:2\n");

    assertThat(berth(Map.of(), "context", "use", "a").code()).isZero();
    assertThat(Target.resolve(io(Map.of("HOME", home.toString())), null))
        .isEqualTo(new Target("http://a:1", "ta"));
    assertThat(Target.resolve(io(Map.of("HOME", home.toString())), "b"))
        .isEqualTo(new Target("http://b:2", "tb"));
    Result unknown = berth(Map.of(), "context", "use", "c");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err())
        .isEqualTo("berth: no context named 'c'; 'berth context list' shows the contexts\n");
  }

  @Test
  void theEnvironmentOverridesTheContextAndXdgConfigHomeMovesTheFile() {
    Path xdg = home.resolve("xdg");
    new Contexts(null, java.util.List.of())
        .with(new Contexts.Context("a", "http://a:1", "ta"))
        .write(xdg.resolve("berth/config"));
    Map<String, String> env = Map.of("HOME", "/nonexistent", "XDG_CONFIG_HOME", xdg.toString());
    assertThat(Target.resolve(io(env), null)).isEqualTo(new Target("http://a:1", "ta"));
    Map<String, String> token = new HashMap<>(env);
    token.put("BERTH_TOKEN", "from-env");
    assertThat(Target.resolve(io(token), null)).isEqualTo(new Target("http://a:1", "from-env"));
    token.put("BERTH_SERVER", "http://env:3/");
    assertThat(Target.resolve(io(token), null)).isEqualTo(new Target("http://env:3", "from-env"));
  }

  @Test
  void aWrongCommandLineIsAUsageErrorWithExitCode2() {
    Result group = berth(Map.of(), "apps");
    assertThat(group.code()).isEqualTo(2);
    assertThat(group.err()).startsWith("name one of the commands of 'apps'");
    assertThat(berth(Map.of(), "apps", "list", "-o", "xml").code()).isEqualTo(2);
  }

  @Test
  void completionPrintsAScriptForBashAndZsh() {
    Result bash = berth(Map.of(), "completion", "bash");
    assertThat(bash.code()).isZero();
    assertThat(bash.out())
        .contains("complete -F _complete_berth")
        .contains("releases")
        .contains("ZSH_VERSION");
  }

  static Io io(Map<String, String> env) {
    return new Io(System.out, System.err, new ByteArrayInputStream(new byte[0]), env);
  }
}
