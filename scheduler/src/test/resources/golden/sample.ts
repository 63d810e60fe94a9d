/** A shape. */
export interface Shape {
  area(): number;
}

enum Color {
  Red,
  Green,
}

abstract class Base {
  abstract name(): string;

  describe(): string {
    return this.name();
  }
}

export class Circle extends Base implements Shape {
  constructor(private radius: number) {
    super();
  }

  name(): string {
    return "circle";
  }

  area(): number {
    return Math.PI * this.radius ** 2;
  }
}

export function makeCircle(r: number): Circle {
  return new Circle(r);
}

export const square = (x: number): number => x * x;

type Alias = { a: number };
