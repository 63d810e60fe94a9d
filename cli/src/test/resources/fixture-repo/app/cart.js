// Shopping cart helpers.

function lineTotal(item) {
  return item.price * item.quantity;
}

function cartTotal(items) {
  return items.reduce((sum, item) => sum + lineTotal(item), 0);
}

function applyDiscount(total, percent) {
  if (percent < 0 || percent > 100) {
    throw new RangeError("percent must be between 0 and 100");
  }
  return total * (1 - percent / 100);
}

module.exports = { lineTotal, cartTotal, applyDiscount };
