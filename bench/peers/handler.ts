/** The one Lambda handler both HTTP API engines serve, written to disk as a deployable folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `<file>.<export>`, as Lambda and serverless.yml spell a handler. */
export const HANDLER = 'handler.handler';
export const ROUTE_PATH = '/hello';

/** Tiny on purpose: what is measured is the path from HTTP to the handler and back. */
const SOURCE = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ hello: event.queryStringParameters?.name ?? 'world', path: event.rawPath }),
});
`;

/** Writes the handler into `<dir>/handler` and returns that folder. */
export function writeHandler(dir: string): string {
  const folder = join(dir, 'handler');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'handler.mjs'), SOURCE);
  return folder;
}
