import type { OutStream } from './cli.js';

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (a
 * pipe or a CI log gets no carriage-return noise). Hand-written: no progress
 * library is installed, and this needs a few lines, not a dependency.
 */
export interface Progress {
  /** `done` of `total` (a fraction when total is 1); `note` is shown after the bar. */
  update(done: number, total: number, note?: string): void;
  /** Clears the bar so the next line starts clean. */
  stop(): void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };
const MIN_REDRAW_MS = 100;

export function progressBar(stream: OutStream, label: string): Progress {
  if (!stream.isTTY) return NONE;
  let last = 0;
  let drawn = false;
  return {
    update(done, total, note = '') {
      const now = Date.now();
      if (now - last < MIN_REDRAW_MS && done < total) return;
      last = now;
      const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
      const columns = stream.columns ?? 80;
      const width = Math.max(10, Math.min(40, columns - label.length - note.length - 10));
      const filled = Math.round(ratio * width);
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
      const line = `${label} [${bar}] ${pct} ${note}`.slice(0, columns - 1);
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
