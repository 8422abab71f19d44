/**
 * DynamoDB calls on three engines, interleaved in rounds: the local cloud's edge (which forwards
 * to DynamoDB Local), DynamoDB Local on its own port, and dynalite. An op an engine refuses (dynalite
 * has no transactions) is left out of that engine's rows, with its answer as the reason.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfig, fromRounds, interleave, ratios, type Row } from '@shop/local-cloud/bench';
import { createTable, OPS, operations, type Op } from './dynamodb-ops.js';
import { sequential, tailRows, unavailable } from './measure.js';

export type Engine = 'edge' | 'direct' | 'dynalite';

const LABELS: Record<Engine, string> = {
  edge: 'via the edge',
  direct: 'DynamoDB Local direct',
  dynalite: 'dynalite',
};

export interface DynamodbCompareOptions {
  /** Endpoint per engine, or why the engine is not there. */
  readonly endpoints: Record<Engine, string | Error>;
  readonly rounds: number;
  readonly windowMs: number;
  readonly warmMs: number;
  readonly log: (m: string) => void;
}

export async function compareDynamodb(opts: DynamodbCompareOptions): Promise<Row[]> {
  const clients: DynamoDBClient[] = [];
  try {
    const calls = new Map<string, () => Promise<void>>();
    const refused = new Map<string, string>();
    const key = (engine: Engine, op: Op) => `${engine} ${op}`;
    for (const engine of Object.keys(LABELS) as Engine[]) {
      const endpoint = opts.endpoints[engine];
      if (endpoint instanceof Error) {
        for (const op of OPS) refused.set(key(engine, op), endpoint.message);
        continue;
      }
      const client = new DynamoDBClient({
        ...clientConfig(endpoint),
        requestHandler: { requestTimeout: 10_000, connectionTimeout: 5_000 },
      });
      clients.push(client);
      // The edge and DynamoDB Local direct share one DynamoDB Local, so one table serves both.
      if (engine !== 'direct') await createTable(client);
      const ops = operations(client);
      // The warm-up (JIT, connections) is also the probe: an op that fails here is not measured.
      opts.log(`peers: warming up ${LABELS[engine]}`);
      for (const op of OPS) {
        try {
          await sequential(ops[op], opts.warmMs);
          calls.set(key(engine, op), ops[op]);
        } catch (err) {
          const e = err as Error;
          refused.set(key(engine, op), `answered ${e.name}: ${e.message}`);
        }
      }
    }

    opts.log(
      `peers: ${opts.rounds} rounds of ${calls.size} DynamoDB variants, ${opts.windowMs} ms each`,
    );
    const samples = new Map<string, number[][]>();
    const perSec = await interleave(
      opts.rounds,
      Object.fromEntries(
        [...calls].map(([name, call]) => [
          name,
          async () => {
            const w = await sequential(call, opts.windowMs);
            samples.set(name, [...(samples.get(name) ?? []), w.samples]);
            return w.perSec;
          },
        ]),
      ),
    );

    const rows: Row[] = [];
    for (const op of OPS) {
      for (const engine of Object.keys(LABELS) as Engine[]) {
        const name = key(engine, op);
        const metric = `${op}, ${LABELS[engine]}`;
        const refusal = refused.get(name);
        if (refusal !== undefined) rows.push(unavailable(metric, refusal));
        else
          rows.push(
            fromRounds(metric, perSec[name]!, 'ops/s'),
            ...tailRows(metric, samples.get(name)!),
          );
      }
      for (const peer of ['direct', 'dynalite'] as const) {
        const a = perSec[key('edge', op)];
        const b = perSec[key(peer, op)];
        const metric = `${op}, edge ÷ ${LABELS[peer]} (ops/s)`;
        if (a && b) rows.push(fromRounds(metric, ratios(a, b), '×'));
        else rows.push(unavailable(metric, 'not both engines measured it'));
      }
    }
    return rows;
  } finally {
    for (const c of clients) c.destroy();
  }
}
