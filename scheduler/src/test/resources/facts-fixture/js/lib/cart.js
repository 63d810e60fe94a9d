import { formatLine, formatPrice as price } from './format.js';
import * as tax from './tax.js';

export class Cart {
  constructor() {
    this.items = [];
  }

  add(name, cents) {
    this.items.push({ name, cents });
    return this;
  }

  total() {
    const sum = this.items.reduce((acc, item) => acc + item.cents, 0);
    return sum + tax.computeTax(sum);
  }

  render() {
    const lines = this.items.map((item) => formatLine(item.name, item.cents));
    lines.push('total ' + price(this.total()));
    return lines.join('\n');
  }
}
