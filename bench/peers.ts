/**
 * `npm run bench -- --only peers`: the local cloud next to its peers in one run. DynamoDB calls
 * via the edge, straight to DynamoDB Local and on dynalite; HTTP API -> Lambda on the local cloud
 * and on serverless-offline, serving one handler file. The peers are installed on demand into
 * .cache/bench-peers (pinned in bench/peers/install.ts); a peer that cannot be installed or
 * started leaves a row saying why, and the rest is still measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud, type LocalCloud } from '@shop/local-cloud';
import type { Benchmark, Row } from '@shop/local-cloud/bench';
import { compareDynamodb } from './peers/dynamodb-compare.js';
import { startDynalite, type Dynalite } from './peers/dynalite.js';
import { writeHandler } from './peers/handler.js';
import { CONCURRENCY, compareHttp } from './peers/http-compare.js';
import { installPeers, PEER_VERSIONS } from './peers/install.js';
import { startLocalApi, type LocalApi } from './peers/local-api.js';
import { startServerlessOffline, type ServerlessOffline } from './peers/serverless-offline.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PEERS_DIR = join(root, '.cache', 'bench-peers');

/** Runs `start`, or returns why it failed: a peer that cannot run is a row, not a failure. */
async function attempt<T>(start: () => Promise<T>): Promise<T | Error> {
  try {
    return await start();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export const peersBenchmark: Benchmark = {
  name: 'peers',
  description:
    'the local cloud beside its peers: DynamoDB ops vs DynamoDB Local and dynalite, HTTP API -> Lambda vs serverless-offline',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 6;
    const windowMs = ctx.quick ? 250 : 800;
    const warmMs = ctx.quick ? 500 : 1500;
    const dir = mkdtempSync(join(tmpdir(), 'bench-peers-'));
    let cloud: LocalCloud | undefined;
    let dynalite: Dynalite | undefined;
    let localApi: LocalApi | undefined;
    let sls: ServerlessOffline | undefined;
    try {
      const notInstalled = await attempt(() => installPeers(PEERS_DIR, ctx.log));
      cloud = await startLocalCloud({ port: 0 });
      if (!cloud.dynamodbEndpoint) throw new Error('The cloud started without DynamoDB Local.');

      const startedDynalite = notInstalled ?? (await attempt(() => startDynalite(PEERS_DIR)));
      if (!(startedDynalite instanceof Error)) dynalite = startedDynalite;
      const rows: Row[] = await compareDynamodb({
        endpoints: {
          edge: cloud.endpoint,
          direct: cloud.dynamodbEndpoint,
          dynalite: startedDynalite instanceof Error ? startedDynalite : startedDynalite.endpoint,
        },
        rounds,
        windowMs,
        warmMs,
        log: ctx.log,
      });
      await dynalite?.stop();
      dynalite = undefined;

      const handlerDir = writeHandler(dir);
      localApi = await startLocalApi(cloud, dir, handlerDir);
      ctx.log('peers: starting serverless-offline');
      const startedSls =
        notInstalled ?? (await attempt(() => startServerlessOffline(PEERS_DIR, dir, handlerDir)));
      if (!(startedSls instanceof Error)) sls = startedSls;
      rows.push(
        ...(await compareHttp({
          ours: localApi.url,
          serverlessOffline: startedSls instanceof Error ? startedSls : startedSls.url,
          rounds,
          windowMs,
          warmMs,
          log: ctx.log,
        })),
      );
      return {
        name: 'peers',
        rows,
        notes: [
          `Peers (exact, in .cache/bench-peers): ${Object.entries(PEER_VERSIONS)
            .map(([n, v]) => `${n}@${v}`)
            .join(', ')}.${notInstalled ? ` Not installed: ${notInstalled.message}` : ''}`,
          `DynamoDB: sequential calls, ${windowMs} ms per engine and op per round, all variants interleaved; warmed up ${warmMs} ms each first. Edge = our edge forwarding to DynamoDB Local; direct = DynamoDB Local's own port; dynalite in memory in its own process.`,
          'UpdateItem = SET n = n + 1 if attribute_exists(pk); TransactWriteItems = 2 Puts, each attribute_not_exists; Query returns 20 items of 200 B. dynalite has no transactions (or streams): only what both engines answer is compared.',
          `edge ÷ X (ops/s) > 1: the edge does more calls per second than X; < 1: what the edge's extra hop costs (vs direct) or how much faster X is.`,
          `HTTP: the same handler.mjs behind GET /hello on both (payload 2.0); sequential calls, then ${CONCURRENCY} callers; our function may run ${CONCURRENCY} at once, serverless-offline starts a worker thread per concurrent request. serverless-offline logs every request to its stdout (its default).`,
          'ours ÷ serverless-offline (req/s) > 1: ours serves more requests per second.',
        ],
      };
    } finally {
      await sls?.stop();
      await localApi?.stop();
      await dynalite?.stop();
      await cloud?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
