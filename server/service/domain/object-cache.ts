/**
 * Trees and commits never change under their id, so parsed ones are kept, up to a total weight
 * (a tree weighs its entries, so a few huge trees cannot fill the memory).
 */
export class ObjectCache<T> {
  private readonly entries = new Map<string, { value: T; weight: number }>();
  private total = 0;
  constructor(
    private readonly capacity: number,
    private readonly weigh: (value: T) => number = () => 1
  ) {}

  get(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    return entry?.value;
  }

  set(id: string, value: T): void {
    const weight = Math.max(1, this.weigh(value));
    if (weight > this.capacity || this.entries.has(id)) {
      return;
    }
    this.entries.set(id, { value, weight });
    this.total += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.capacity) {
        break;
      }
      this.entries.delete(oldest);
      this.total -= entry.weight;
    }
  }
}
