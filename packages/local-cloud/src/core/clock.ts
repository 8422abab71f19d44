/**
 * Time as the services that act on their own see it (Scheduler's schedules,
 * EventBridge's scheduled rules): the real clock by default, a manual one in
 * tests, so a test advances an hour without waiting for it.
 */

/** A timer set on a clock; cancel() is safe to call more than once. */
export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `fire` once the clock reaches `atMs` (at once, soon after, if it already has). */
  at(atMs: number, fire: () => void | Promise<void>): ClockTimer;
}

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days): wait in steps.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The machine's clock and Node's timers. Timers never keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  at(atMs, fire) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      if (cancelled) return;
      const wait = atMs - Date.now();
      if (wait > MAX_TIMEOUT_MS) {
        handle = setTimeout(arm, MAX_TIMEOUT_MS);
      } else {
        handle = setTimeout(() => void Promise.resolve().then(fire), Math.max(0, wait));
      }
      handle.unref();
    };
    arm();
    return {
      cancel() {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  },
};

interface Pending {
  atMs: number;
  seq: number;
  fire: () => void | Promise<void>;
}

/**
 * A clock that moves only when told: `advance(ms)` fires every timer that
 * falls due on the way, in time order (timers those set are fired too if they
 * are due), each with `now()` at its own time, and waits for what each one
 * started to settle before the next.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly pending = new Set<Pending>();
  private seq = 0;
  private moving: Promise<void> = Promise.resolve();

  /** Starts at `startMs` (epoch ms or a Date); default the machine's time now. */
  constructor(start: number | Date = Date.now()) {
    this.current = typeof start === 'number' ? start : start.getTime();
    if (!Number.isFinite(this.current)) {
      throw new Error(`ManualClock needs a finite start time; received ${String(start)}.`);
    }
  }

  now(): number {
    return this.current;
  }

  at(atMs: number, fire: () => void | Promise<void>): ClockTimer {
    const entry: Pending = { atMs, seq: this.seq++, fire };
    this.pending.add(entry);
    return { cancel: () => this.pending.delete(entry) };
  }

  /** Moves time forward by `ms`, firing what falls due; resolves when they have run. */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new Error(`ManualClock.advance takes a duration of 0 ms or more; received ${ms}.`);
    }
    // Calls made while one advance runs wait for it, so time never goes back.
    const run = this.moving.then(() => this.runUntil(this.current + ms));
    this.moving = run.catch(() => undefined);
    return run;
  }

  /** Moves time to `atMs` (epoch ms or a Date), firing what falls due on the way. */
  advanceTo(at: number | Date): Promise<void> {
    const target = typeof at === 'number' ? at : at.getTime();
    return this.advance(Math.max(0, target - this.current));
  }

  /** Timers not yet fired, soonest first (for tests and diagnostics). */
  pendingTimes(): number[] {
    return [...this.pending].sort(byDue).map((p) => p.atMs);
  }

  private async runUntil(target: number): Promise<void> {
    await settle();
    for (;;) {
      const next = [...this.pending].filter((p) => p.atMs <= target).sort(byDue)[0];
      if (!next) break;
      this.pending.delete(next);
      this.current = Math.max(this.current, next.atMs);
      await next.fire();
      await settle();
    }
    this.current = Math.max(this.current, target);
  }
}

function byDue(a: Pending, b: Pending): number {
  return a.atMs - b.atMs || a.seq - b.seq;
}

/** Lets what a timer started (promise chains, setImmediate hops) run before the next one. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
