/**
 * Remembers recently seen activity ids so that a duplicate delivery (Teams or the Bot Connector
 * retrying) is answered once. Bounded in size and age; per process.
 */
export class RecentActivities {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 15 * 60_000,
  ) {}

  /** True the first time a key is seen (within the window), false for a repeat. */
  firstTime(key: string, now: number): boolean {
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.maxAgeMs) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
    return true;
  }
}
