package dev.berth.server.portal;

import dev.berth.core.support.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command typed as one line, split into arguments the way a POSIX shell splits words, without
 * running a shell: blanks separate arguments; {@code '...'} keeps everything literally; {@code
 * "..."} keeps blanks and honours {@code \"} and {@code \\}; outside quotes {@code \} takes the
 * next character literally; {@code ""} is an empty argument. No variables, globs or pipes: {@code
 * $HOME} stays as typed. So {@code sh -c "echo hi"} is three arguments. {@code
 * static/js/command-line.js} previews the same split in the browser; this one is the one that
 * counts.
 */
public final class CommandLine {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private CommandLine() {}

  /**
   * The arguments of {@code line}; an empty list for a blank line.
   *
   * @throws ValidationException naming {@code field} for an unterminated quote or a trailing
   *     backslash
   */
  public static List<String> split(String line, String field) {
    List<String> args = new ArrayList<>();
    if (line == null) {
      return args;
    }
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          args.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw unterminated(field, "single", i);
        }
        word.append(line, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i, word, field);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= line.length()) {
          throw ValidationException.of(
              field, "ends with a backslash that escapes nothing; write \\\\ for a backslash");
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      args.add(word.toString());
    }
    return args;
  }

  /**
   * Appends the double-quoted text opening at {@code open}; answers the index after its closing
   * quote.
   */
  private static int doubleQuoted(String line, int open, StringBuilder word, String field) {
    int i = open + 1;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\'
          && i + 1 < line.length()
          && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
        word.append(line.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw unterminated(field, "double", open);
  }

  private static ValidationException unterminated(String field, String kind, int at) {
    return ValidationException.of(
        field,
        "has an unterminated "
            + kind
            + " quote (opened at character "
            + (at + 1)
            + "); close it or escape it with a backslash");
  }

  /**
   * One line that {@link #split} turns back into {@code args}: plain words as they are, others
   * single-quoted.
   */
  public static String join(List<String> args) {
    StringBuilder line = new StringBuilder();
    for (String arg : args) {
      if (!line.isEmpty()) {
        line.append(' ');
      }
      line.append(PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return line.toString();
  }
}
