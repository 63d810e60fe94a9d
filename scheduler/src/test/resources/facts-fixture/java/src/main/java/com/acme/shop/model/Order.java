package com.acme.shop.model;

/** An order: an id and a running total in cents. */
public class Order {
  private final String id;
  private long total;

  public Order(String id) {
    this.id = id;
  }

  public void add(long cents) {
    total += checked(cents);
  }

  public long total() {
    return total;
  }

  public String id() {
    return id;
  }

  private static long checked(long cents) {
    if (cents < 0) {
      throw new IllegalArgumentException("negative");
    }
    return cents;
  }
}
