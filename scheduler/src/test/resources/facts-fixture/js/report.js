const { checkout } = require('./app.js');
const fmt = require('./lib/format.js');

function report(items) {
  const cart = checkout(items);
  console.log(fmt.formatPrice(cart.items.length));
  return summary(cart);
}

function summary(cart) {
  return fmt.pad(String(cart.items.length), 4);
}

module.exports = { report };
