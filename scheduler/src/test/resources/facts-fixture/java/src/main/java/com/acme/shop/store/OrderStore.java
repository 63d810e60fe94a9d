package com.acme.shop.store;

import com.acme.shop.model.Order;
import java.util.HashMap;
import java.util.Map;

public class OrderStore {
  private final Map<String, Order> orders = new HashMap<>();

  public void save(Order order) {
    orders.put(order.id(), order);
    Audit.record("save " + order.id());
  }

  public Order find(String id) {
    Audit.record("find " + id);
    return orders.get(id);
  }
}
