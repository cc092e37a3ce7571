// Debounced, cancellable analysis runs, one slot per document: a new edit cancels
// the run in flight (it checks its token at every yield) and restarts the timer,
// so only the version the user stopped typing at is analysed to the end.

export interface RunToken {
  readonly cancelled: boolean;
}

interface Slot {
  timer: NodeJS.Timeout | undefined;
  readonly token: { cancelled: boolean };
}

export class AnalysisScheduler {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (key: string, token: RunToken) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  schedule(key: string, delayMs = this.delayMs): void {
    this.cancel(key);
    const slot: Slot = { timer: undefined, token: { cancelled: false } };
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      this.run(key, slot.token)
        .catch((e) => this.onError(key, e))
        .finally(() => {
          if (this.slots.get(key) === slot) this.slots.delete(key);
        });
    }, delayMs);
    this.slots.set(key, slot);
  }

  cancel(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.token.cancelled = true;
    if (slot.timer) clearTimeout(slot.timer);
    this.slots.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.slots.keys()]) this.cancel(key);
  }
}

/**
 * Lets pending messages (edits, cancellations) be handled before work continues.
 * Two turns: the JSON-RPC layer dispatches a message read in this turn's poll
 * phase from its own setImmediate, which must run before we look at our token.
 */
export async function yieldToEventLoop(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}
