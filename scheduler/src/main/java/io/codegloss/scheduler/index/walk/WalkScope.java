package io.codegloss.scheduler.index.walk;

import java.util.Set;

/**
 * The part of a repository one walk looks at: the given paths (files or folders, relative to the
 * root, '/' separated) and everything below them. The folders above them are still listed, so that
 * their ignore files decide as they do in a whole walk.
 */
public record WalkScope(Set<String> paths) {

  public WalkScope {
    paths = Set.copyOf(paths);
  }

  /** True when {@code rel} is one of the paths or lies below one. */
  public boolean includes(String rel) {
    for (String p : paths) {
      if (p.isEmpty() || rel.equals(p) || rel.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the walk must enter the folder {@code rel}: it is in scope or above a path that is.
   */
  boolean enters(String rel) {
    if (includes(rel)) {
      return true;
    }
    String prefix = rel + "/";
    for (String p : paths) {
      if (p.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
