export function formatPrice(cents) {
  return (cents / 100).toFixed(2);
}

export function pad(text, width) {
  return text.padStart(width);
}

export function formatLine(label, cents) {
  return pad(label, 10) + formatPrice(cents);
}
