export interface UserData {
  id: string;
  email: string;
}

export class User {
  constructor(
    public readonly id: string,
    private email: string,
  ) {}

  changeEmail(email: string): void {
    this.email = normalizeEmail(email);
  }

  describe(): string {
    return `${this.id} <${this.email}>`;
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
