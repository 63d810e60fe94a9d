export class Store {
  private data: Record<string, string> = {};

  async put(key: string, value: string): Promise<void> {
    this.data[key] = value;
    this.flush();
  }

  get(key: string): string | undefined {
    return this.data[key];
  }

  private flush(): void {}
}
