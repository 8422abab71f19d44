/** serverless-offline serving the shared handler behind an `httpApi` route, as a child process. */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { freePort, startPeerProcess } from './child.js';
import { HANDLER, ROUTE_PATH } from './handler.js';

export interface ServerlessOffline {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Writes a minimal serverless.yml into `serviceDir` (which holds the handler folder) and runs
 * `serverless offline start` on loopback ports. nodejs22.x is the newest runtime this
 * serverless-offline accepts; the handler runs on this process's Node either way. Telemetry and
 * update notices are off, and HOME points into the cache, so nothing is sent or left in ~.
 */
export async function startServerlessOffline(
  peersDir: string,
  serviceDir: string,
  handlerDir: string,
): Promise<ServerlessOffline> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const handler = `${relative(serviceDir, handlerDir)}/${HANDLER}`;
  writeFileSync(
    join(serviceDir, 'serverless.yml'),
    [
      'service: bench-peers',
      "frameworkVersion: '3'",
      'provider:',
      '  name: aws',
      '  runtime: nodejs22.x',
      '  region: us-east-1',
      'functions:',
      '  hello:',
      `    handler: ${handler}`,
      '    events:',
      '      - httpApi:',
      '          method: GET',
      `          path: ${ROUTE_PATH}`,
      'plugins:',
      '  - serverless-offline',
      'custom:',
      '  serverless-offline:',
      '    host: 127.0.0.1',
      `    httpPort: ${httpPort}`,
      `    lambdaPort: ${lambdaPort}`,
      '',
    ].join('\n'),
  );
  const server = await startPeerProcess({
    name: 'serverless-offline',
    args: [
      join(peersDir, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'offline',
      'start',
    ],
    cwd: serviceDir,
    env: {
      HOME: join(peersDir, 'home'),
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    },
    ready: /Server ready/,
    timeoutMs: 60_000,
  });
  return { url: `http://127.0.0.1:${httpPort}`, stop: () => server.stop() };
}
