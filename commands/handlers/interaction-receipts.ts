/**
 * Deliveries of one receipt inside this process: the second waits for the first
 * to finish, so its answer shows the state after the first acted rather than
 * before. (Across processes the database claim in src/services/interaction-receipts.ts
 * still guarantees acting once.)
 */
export class InFlightReceipts {
  private readonly running = new Map<string, Promise<unknown>>();

  async once<T>(key: string, task: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const existing = this.running.get(key);
    if (existing) {
      await existing.catch(() => undefined);
      return { ran: false };
    }
    // No await between the lookup above and this set: JavaScript cannot interleave another delivery here.
    const p = task();
    this.running.set(key, p);
    try {
      return { ran: true, value: await p };
    } finally {
      this.running.delete(key);
    }
  }
}
