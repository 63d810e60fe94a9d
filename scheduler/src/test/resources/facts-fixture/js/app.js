import fs from 'fs';
import * as taxes from './lib/tax.js';
import { Cart } from './lib/cart.js';

function validate(cart) {
  return cart.items.length > 0;
}

export function checkout(items) {
  const cart = new Cart();
  for (const item of items) {
    cart.add(item.name, item.cents);
  }
  if (!validate(cart) || !taxes.validate(cart.total())) {
    throw new Error('empty cart');
  }
  fs.writeFileSync('receipt.txt', cart.render());
  return cart;
}
