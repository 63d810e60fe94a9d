package com.acme.shop.service;

public final class Pricing {
  private Pricing() {}

  public static long withTax(long cents) {
    return cents + tax(cents);
  }

  static long tax(long cents) {
    return Math.round(cents * 0.2);
  }
}
