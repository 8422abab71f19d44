/**
 * `npm run bench -- --only console`: the console page in Chromium while the bus carries 100
 * events a second. Frames the page paints per second (against the same page idle), main-thread
 * time in long tasks, the rows it keeps and its JS heap: the stream should stay smooth and the
 * page bounded however long the run. Skips, saying so, without /usr/bin/chromium.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startLocalCloud } from '@shop/local-cloud';
import { CHROMIUM, hasChromium, launchChromium } from '../harness/chromium.js';
import {
  clientConfig,
  fromRounds,
  single,
  sleep,
  type Benchmark,
  type Row,
} from '@shop/local-cloud/bench';

const RATE = 100;
/** Installed in the page: counts painted frames and long-task time from now on. */
const PROBE = `(() => {
  const probe = { frames: 0, longTaskMs: 0 };
  const tick = () => { probe.frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) probe.longTaskMs += e.duration; })
    .observe({ type: 'longtask', buffered: false });
  window.__probe = probe;
})()`;

/** Read back from the page: the probe's counts, the rows shown, the JS heap (Chromium's). */
const READ = `(() => ({
  frames: window.__probe.frames,
  longTaskMs: window.__probe.longTaskMs,
  rows: document.querySelectorAll('[data-testid="event-row"]').length,
  heapBytes: performance.memory ? performance.memory.usedJSHeapSize : NaN,
}))()`;

interface Sample {
  frames: number;
  longTaskMs: number;
  rows: number;
  heapBytes: number;
}

export const consoleBenchmark: Benchmark = {
  name: 'console',
  description: `the console page in Chromium at ${RATE} events/s: frames painted, long tasks, rows kept, heap`,
  async run(ctx) {
    if (!hasChromium()) {
      return {
        name: 'console',
        rows: [],
        notes: [`${CHROMIUM} is missing (apt-get install chromium): not measured`],
      };
    }
    const seconds = ctx.quick ? 4 : 12;
    const cloud = await startLocalCloud({ port: 0, dynamodb: false });
    const events = new EventBridgeClient(clientConfig(cloud.endpoint));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(cloud.console.url);
      await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
      const sample = async (ms: number): Promise<Sample> => {
        await page.evaluate(PROBE);
        await sleep(ms);
        return (await page.evaluate(READ)) as Sample;
      };

      ctx.log(`console: the page idle for 2 s, then ${seconds} s at ${RATE} events/s`);
      const idle = await sample(2_000);
      let sent = 0;
      let stop = false;
      const drive = (async () => {
        const start = Date.now();
        while (!stop) {
          // Ten events every 100 ms: one PutEvents call each.
          const due = Math.floor(((Date.now() - start) / 1000) * RATE);
          if (sent < due) {
            const n = Math.min(10, due - sent);
            await events.send(
              new PutEventsCommand({
                Entries: Array.from({ length: n }, (_, i) => ({
                  Source: 'bench.console',
                  DetailType: `Event${(sent + i) % 5}`,
                  Detail: JSON.stringify({
                    metadata: {
                      correlationId: `order-${(sent + i) % 40}`,
                      eventId: `e-${sent + i}`,
                    },
                    data: { n: sent + i, amountCents: 1200, currency: 'USD' },
                  }),
                })),
              }),
            );
            sent += n;
          } else await sleep(5);
        }
      })();
      const perSecond: Sample[] = [];
      for (let s = 0; s < seconds; s++) perSecond.push(await sample(1_000));
      stop = true;
      await drive;
      const loaded = perSecond.slice(1); // the first second fills the page's window
      const rows: Row[] = [
        single('frames/s, page idle', idle.frames / 2, 'fps'),
        fromRounds(
          `frames/s at ${RATE} events/s`,
          loaded.map((s) => s.frames),
          'fps',
        ),
        fromRounds(
          'frames painted: loaded / idle',
          loaded.map((s) => s.frames / (idle.frames / 2)),
          'x',
        ),
        fromRounds(
          'main thread in long tasks (>50 ms)',
          loaded.map((s) => s.longTaskMs / 10),
          '%',
        ),
        single('rows the page keeps at the end', perSecond.at(-1)!.rows, 'rows'),
        single('JS heap, idle', idle.heapBytes / 2 ** 20, 'MiB'),
        fromRounds(
          'JS heap while loaded',
          loaded.map((s) => s.heapBytes / 2 ** 20),
          'MiB',
        ),
        single('events sent', sent, 'events'),
      ];
      return {
        name: 'console',
        rows,
        notes: [
          `Chromium headless at ${CHROMIUM}, one page on the live events view; ${RATE} events/s put through the edge in batches of 10`,
          'frames: requestAnimationFrame callbacks per second (headless paints at up to 60); long tasks: PerformanceObserver, per second of wall time',
          'the page keeps the latest 500 events and applies arrivals once per frame',
        ],
      };
    } finally {
      await browser.close();
      events.destroy();
      await cloud.stop();
    }
  },
};
