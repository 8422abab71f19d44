import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FunctionWindow, WINDOW_MS } from '../../src/console/function-window.js';
import { LiveFeed } from '../../src/console/live-feed.js';

/** A response whose socket buffer is full while `full` is set, as a slow page's is. */
class SlowResponse extends EventEmitter {
  full = false;
  readonly written: string[] = [];
  writeHead() {
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
    return !this.full;
  }
  end() {}
}

describe('LiveFeed', () => {
  it('skips messages for a page that reads too slowly, then tells it how many it missed', () => {
    const feed = new LiveFeed();
    const res = new SlowResponse();
    feed.add(res as unknown as ServerResponse, []);
    res.full = true;
    feed.send('bus', { n: 1 }); // written, and the buffer is now full
    for (let n = 2; n <= 101; n++) feed.send('bus', { n });
    expect(res.written.filter((w) => w.startsWith('event: bus'))).toHaveLength(1);
    res.full = false;
    res.emit('drain');
    expect(res.written.at(-1)).toBe('event: dropped\ndata: {"count":100}\n\n');
    feed.send('bus', { n: 102 });
    expect(res.written.at(-1)).toBe('event: bus\ndata: {"n":102}\n\n');
  });

  it('forgets a page that closed', () => {
    const feed = new LiveFeed();
    const res = new SlowResponse();
    feed.add(res as unknown as ServerResponse, [{ event: 'bus', data: { n: 0 } }]);
    expect(res.written).toContain('event: bus\ndata: {"n":0}\n\n');
    expect(feed.size).toBe(1);
    res.emit('close');
    expect(feed.size).toBe(0);
  });
});

describe('FunctionWindow', () => {
  const summary = (durationMs: number, outcome: 'ok' | 'error' | 'timeout' = 'ok') => ({
    label: 'S/F',
    functionName: 'S-F-1',
    requestId: 'r',
    durationMs,
    outcome,
    coldStart: durationMs === 1,
  });

  it('gives invocations, errors and duration percentiles over the last five minutes only', () => {
    let now = 0;
    const w = new FunctionWindow(() => now);
    for (let ms = 1; ms <= 100; ms++) w.record(summary(ms, ms % 10 === 0 ? 'error' : 'ok'));
    expect(w.figures()).toEqual([
      expect.objectContaining({
        label: 'S/F',
        invocations: 100,
        errors: 10,
        timeouts: 0,
        coldStarts: 1,
        p50Ms: 50,
        p90Ms: 90,
        p99Ms: 99,
        maxMs: 100,
      }),
    ]);
    now = WINDOW_MS + 1;
    w.record(summary(7, 'timeout'));
    expect(w.figures()[0]).toMatchObject({ invocations: 1, timeouts: 1, p50Ms: 7, coldStarts: 0 });
  });

  it('lists a function that has not run, with zeros', () => {
    expect(new FunctionWindow().figures([{ label: 'A/B', functionName: 'a' }])).toEqual([
      expect.objectContaining({ label: 'A/B', invocations: 0, p50Ms: undefined }),
    ]);
  });
});
