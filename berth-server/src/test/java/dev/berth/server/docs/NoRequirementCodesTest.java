package dev.berth.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README, the docs and the code say what a feature is, never which line of a requirement
 * document (not in this repository) it answers: no "MISSION", no codes like "F2" or "D1–D6". H2,
 * the database, is the one word of that shape allowed.
 */
class NoRequirementCodesTest {
  private static final Pattern CODE =
      Pattern.compile("\\bMISSION\\b|\\b(?!H2\\b)[A-K][1-9][0-9]?\\b");
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void readmeDocsAndMainCodeCiteNoRequirementCodes() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> all = Files.walk(ROOT, 12)) {
      all.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
          .filter(
              p ->
                  p.startsWith(ROOT.resolve("docs")) && p.toString().endsWith(".md")
                      || p.toString().contains("/src/main/")
                          && (p.toString().endsWith(".java") || p.toString().endsWith(".html")))
          .forEach(files::add);
    }
    assertThat(files).hasSizeGreaterThan(100);
    List<String> hits = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = CODE.matcher(lines.get(i));
        while (m.find()) {
          hits.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + m.group());
        }
      }
    }
    assertThat(hits).as("requirement codes in README, docs and main code").isEmpty();
  }
}
