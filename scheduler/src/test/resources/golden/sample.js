// Utilities for users.

/**
 * Adds two numbers.
 */
function add(a, b) {
  return a + b;
}

const double = (x) => x * 2;

let legacy = function (y) {
  return y;
};

function* counter() {
  yield 1;
}

class User extends Base {
  constructor(email) {
    super();
    this.email = email;
  }

  /** Returns the email. */
  getEmail() {
    return this.email;
  }

  static create(email) {
    return new User(email);
  }
}

export default class Admin extends User {
  promote() {
    return true;
  }
}

export function exported() {
  return 1;
}

const api = {
  fetch(url) {
    return url;
  },
};
