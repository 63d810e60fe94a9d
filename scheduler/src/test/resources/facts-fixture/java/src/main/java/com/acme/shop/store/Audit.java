package com.acme.shop.store;

final class Audit {
  private Audit() {}

  static void record(String event) {
    System.out.println(stamp() + " " + event);
  }

  static String stamp() {
    return Long.toString(System.currentTimeMillis());
  }

  /** Same name as OrderService.format. */
  static String format(String text) {
    return text.trim();
  }
}
