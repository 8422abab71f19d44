import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startShop, type RunningShop, type ShopOptions } from '../../harness/shop/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The whole shop for a benchmark: free ports, no demo catalog, silent, and one assembly shared by
 * the benchmarks (`.local/cdk.out.bench`, synthesized when the app changed).
 */
export function startBenchShop(
  options: Pick<ShopOptions, 'onInvocation'> = {},
): Promise<RunningShop> {
  return startShop({
    root,
    cdkOut: join(root, '.local', 'cdk.out.bench'),
    port: 0,
    apiPort: 0,
    providerPort: 0,
    seed: false,
    log: () => undefined,
    functionLog: () => undefined,
    ...options,
  });
}
