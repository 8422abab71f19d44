/**
 * HTTP API -> Lambda on two engines serving the same handler file: the local cloud's HTTP API
 * and serverless-offline. Sequential latency and throughput with 8 callers, interleaved in rounds.
 */
import { fromRounds, interleave, ratios, type Row } from '@shop/local-cloud/bench';
import { ROUTE_PATH } from './handler.js';
import { concurrent, sequential, tailRows, unavailable } from './measure.js';

export const CONCURRENCY = 8;

export interface HttpCompareOptions {
  /** Base URL of our HTTP API. */
  readonly ours: string;
  /** Base URL of serverless-offline, or why it is not there. */
  readonly serverlessOffline: string | Error;
  readonly rounds: number;
  readonly windowMs: number;
  readonly warmMs: number;
  readonly log: (m: string) => void;
}

/** One GET through the route; the handler's answer is checked, so an error page cannot count. */
const request = (base: string) => async () => {
  const res = await fetch(`${base}${ROUTE_PATH}?name=bench`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { hello?: string };
  if (res.status !== 200 || body.hello !== 'bench')
    throw new Error(`GET ${base}${ROUTE_PATH} answered ${res.status} ${JSON.stringify(body)}`);
};

export async function compareHttp(opts: HttpCompareOptions): Promise<Row[]> {
  const engines: Record<string, string | Error> = {
    ours: opts.ours,
    'serverless-offline': opts.serverlessOffline,
  };
  const label = (name: string) => (name === 'ours' ? 'local cloud HTTP API' : name);

  const variants: Record<string, () => Promise<number>> = {};
  const samples = new Map<string, number[][]>();
  for (const [name, url] of Object.entries(engines)) {
    if (url instanceof Error) continue;
    const call = request(url);
    // Cold starts out of the figures: one worker sequentially, then all 8. A peer that fails
    // here is reported, not measured; our own failing is the benchmark failing.
    opts.log(`peers: warming up ${label(name)}`);
    try {
      await sequential(call, opts.warmMs);
      await concurrent(call, opts.warmMs, CONCURRENCY);
    } catch (err) {
      if (name === 'ours') throw err;
      engines[name] = new Error(`its warm-up failed: ${(err as Error).message}`);
      continue;
    }
    variants[`${name} sequential`] = async () => {
      const w = await sequential(call, opts.windowMs);
      samples.set(name, [...(samples.get(name) ?? []), w.samples]);
      return w.perSec;
    };
    variants[`${name} concurrent`] = () => concurrent(call, opts.windowMs, CONCURRENCY);
  }
  opts.log(`peers: ${opts.rounds} rounds of ${Object.keys(variants).length} HTTP variants`);
  const perSec = await interleave(opts.rounds, variants);

  const rows: Row[] = [];
  for (const [name, url] of Object.entries(engines)) {
    const metric = `GET ${ROUTE_PATH}, ${label(name)}`;
    if (url instanceof Error) {
      rows.push(unavailable(metric, url.message));
      continue;
    }
    rows.push(
      fromRounds(`${metric}, sequential`, perSec[`${name} sequential`]!, 'req/s'),
      ...tailRows(`${metric}, sequential`, samples.get(name)!),
      fromRounds(`${metric}, ${CONCURRENCY} callers`, perSec[`${name} concurrent`]!, 'req/s'),
    );
  }
  for (const mode of ['sequential', 'concurrent'] as const) {
    const metric = `ours ÷ serverless-offline, ${mode === 'sequential' ? 'sequential' : `${CONCURRENCY} callers`} (req/s)`;
    const a = perSec[`ours ${mode}`]!;
    const b = perSec[`serverless-offline ${mode}`];
    rows.push(
      b
        ? fromRounds(metric, ratios(a, b), '×')
        : unavailable(metric, 'serverless-offline was not measured'),
    );
  }
  return rows;
}
