package com.acme.shop.service;

import static com.acme.shop.service.Pricing.withTax;

import com.acme.shop.model.Order;
import com.acme.shop.store.OrderStore;

public class OrderService {
  private final OrderStore store;

  public OrderService(OrderStore store) {
    this.store = store;
  }

  public Order place(String id, long... items) {
    Order order = new Order(id);
    for (long cents : items) {
      order.add(withTax(cents));
    }
    store.save(order);
    log(order);
    return order;
  }

  public long totalOf(String id) {
    Order order = this.store.find(id);
    return order.total();
  }

  private void log(Order order) {
    System.out.println(format(order.id()));
  }

  private static String format(String s) {
    return "[" + s + "]";
  }
}
