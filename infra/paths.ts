import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: esbuild's working directory and where package-lock.json lives. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The lock file NodejsFunction hashes and reads the esbuild version from. */
export const depsLockFilePath = join(projectRoot, 'package-lock.json');

/** The services; each has `functions/<service>/`. */
export type ServiceName =
  'orders' | 'inventory' | 'payments' | 'shipping' | 'notifications' | 'views';

/** Absolute path of a service's Lambda entry point, e.g. `functions/orders/handlers/on-event.ts`. */
export function handlerEntry(service: ServiceName, handler: string): string {
  return join(projectRoot, 'functions', service, 'handlers', `${handler}.ts`);
}
