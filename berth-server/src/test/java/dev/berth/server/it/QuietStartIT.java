package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first start of the real server process, as a new user sees it in the terminal: a few lines,
 * no framework notices, and the admin banner (user, password, where the token is) as the last
 * thing.
 */
class QuietStartIT {

  @Test
  void theFirstStartIsQuietAndEndsWithTheAdminBanner() throws Exception {
    Path data = Files.createTempDirectory("berth-it-118-");
    Path log = Files.createTempFile("berth-quiet-start-", ".log");
    BerthProcess berth =
        new BerthProcess(data, "berthit118", "10.203.118.0/24", "berth-it118", log);
    List<String> lines;
    try {
      berth.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("Berth first start"));
      assertThat(berth.call("GET", "/api/v1/apps", null).statusCode()).isEqualTo(200);
      lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    } finally {
      berth.close();
      Cleanup.local(data, "berthit118", "berth-it118");
    }
    String all = String.join("\n", lines);
    System.out.println("first start, " + lines.size() + " lines:\n" + all);
    assertThat(all).as("SpringDoc's notice").doesNotContain("SpringDoc");
    assertThat(all)
        .as("db-scheduler's UTC warning")
        .doesNotContain("jdbc-overrides")
        .doesNotContain("utc_warning");
    int banner = indexOf(lines, "Berth first start");
    assertThat(lines.subList(banner, lines.size()))
        .as("the banner and nothing after it")
        .hasSize(5)
        .last()
        .asString()
        .matches("=+");
    assertThat(lines.get(banner + 2)).contains("API token: in " + data.toAbsolutePath());
    assertThat(lines.size()).as("lines before the banner's box:\n" + all).isLessThanOrEqualTo(12);
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line contains '" + text + "'");
  }
}
