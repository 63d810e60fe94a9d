const RATE = 0.2;

function computeTax(cents) {
  return Math.round(cents * RATE);
}

function validate(cents) {
  return cents >= 0;
}

module.exports = { computeTax, validate };
