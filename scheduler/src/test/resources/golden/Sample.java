package com.example;

import java.util.List;

/** A user with an email. */
public class Sample {
  private String email;

  public Sample(String email) {
    this.email = email;
  }

  /**
   * Sets the email.
   *
   * @param email the new email
   */
  @Deprecated
  public void setEmail(String email) {
    this.email = email;
  }

  interface Listener {
    void changed(String value);

    default void reset() {
      changed(null);
    }
  }

  enum Kind {
    A,
    B;

    boolean isA() {
      return this == A;
    }
  }

  record Point(int x, int y) {
    Point {
      if (x < 0) throw new IllegalArgumentException();
    }

    int sum() {
      return x + y;
    }
  }

  static <T> List<T> wrap(T value) {
    return List.of(value);
  }
}

@interface Marker {}
