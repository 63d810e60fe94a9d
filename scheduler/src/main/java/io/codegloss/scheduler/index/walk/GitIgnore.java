package io.codegloss.scheduler.index.walk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rules of one ignore file ({@code .gitignore}, {@code .git/info/exclude}, or extra patterns
 * from the settings) with git's semantics: last matching rule wins, {@code !} re-includes, a
 * trailing slash matches directories only, a slash elsewhere anchors the pattern to the file's own
 * directory, {@code **} spans directories.
 */
public final class GitIgnore {

  private record Rule(Pattern regex, boolean negate, boolean dirOnly) {}

  private final String base;
  private final List<Rule> rules;

  private GitIgnore(String base, List<Rule> rules) {
    this.base = base;
    this.rules = rules;
  }

  /**
   * @param base the directory of the ignore file, relative to the repository root, '/' separated,
   *     "" for the root
   * @param text the file's content
   */
  public static GitIgnore parse(String base, String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\r?\n", -1)) {
      Rule rule = parseLine(raw);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return new GitIgnore(base, List.copyOf(rules));
  }

  public String base() {
    return base;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Decides a path below this file's directory.
   *
   * @param relToRoot the path relative to the repository root, '/' separated
   * @return TRUE ignored, FALSE explicitly re-included, null when no rule speaks about it
   */
  public @Nullable Boolean decide(String relToRoot, boolean isDirectory) {
    String rel;
    if (base.isEmpty()) {
      rel = relToRoot;
    } else if (relToRoot.startsWith(base + "/")) {
      rel = relToRoot.substring(base.length() + 1);
    } else {
      return null;
    }
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rule r = rules.get(i);
      if (r.dirOnly && !isDirectory) {
        continue;
      }
      if (r.regex.matcher(rel).matches()) {
        return !r.negate;
      }
    }
    return null;
  }

  private static @Nullable Rule parseLine(String raw) {
    String line = stripTrailingSpaces(raw);
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    boolean negate = false;
    if (line.startsWith("!")) {
      negate = true;
      line = line.substring(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.substring(1);
    }
    boolean dirOnly = false;
    if (line.endsWith("/") && !line.endsWith("\\/")) {
      dirOnly = true;
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      return null;
    }
    boolean anchored = line.indexOf('/') >= 0;
    if (line.startsWith("/")) {
      line = line.substring(1);
    }
    String body = toRegex(line);
    if (body == null) {
      return null;
    }
    String regex = anchored ? body : "(?:.*/)?" + body;
    // A pattern that names a directory also covers everything below it.
    return new Rule(Pattern.compile(regex + "(?:/.*)?", Pattern.DOTALL), negate, dirOnly);
  }

  private static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ' && !(end > 1 && s.charAt(end - 2) == '\\')) {
      end--;
    }
    return s.substring(0, end);
  }

  /** Translates one glob to a regex, or null for a malformed pattern (git ignores those too). */
  private static @Nullable String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int n = glob.length();
    int i = 0;
    while (i < n) {
      char c = glob.charAt(i);
      if (c == '*') {
        boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
        boolean atSegmentStart = i == 0 || glob.charAt(i - 1) == '/';
        if (doubleStar && atSegmentStart) {
          int after = i + 2;
          if (after == n) {
            re.append(".*");
            i = after;
            continue;
          }
          if (glob.charAt(after) == '/') {
            re.append("(?:.*/)?");
            i = after + 1;
            continue;
          }
        }
        while (i < n && glob.charAt(i) == '*') {
          i++;
        }
        re.append("[^/]*");
        continue;
      }
      if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int close = findClass(glob, i);
        if (close < 0) {
          re.append("\\[");
        } else {
          re.append(charClass(glob.substring(i + 1, close)));
          i = close;
        }
      } else if (c == '\\') {
        if (i + 1 >= n) {
          return null;
        }
        i++;
        re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return re.toString();
  }

  private static int findClass(String glob, int open) {
    int j = open + 1;
    if (j < glob.length() && (glob.charAt(j) == '!' || glob.charAt(j) == '^')) {
      j++;
    }
    if (j < glob.length() && glob.charAt(j) == ']') {
      j++;
    }
    while (j < glob.length()) {
      if (glob.charAt(j) == ']') {
        return j;
      }
      j++;
    }
    return -1;
  }

  private static String charClass(String inner) {
    // The lookahead keeps a class from ever matching the directory separator.
    StringBuilder sb = new StringBuilder("(?!/)[");
    int k = 0;
    if (!inner.isEmpty() && (inner.charAt(0) == '!' || inner.charAt(0) == '^')) {
      sb.append('^');
      k = 1;
    }
    for (; k < inner.length(); k++) {
      char ch = inner.charAt(k);
      if (ch == '\\' || ch == '[' || ch == ']' || ch == '&' || ch == '^') {
        sb.append('\\');
      }
      sb.append(ch);
    }
    sb.append(']');
    return sb.toString();
  }
}
