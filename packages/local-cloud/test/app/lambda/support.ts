import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionDefinition, LambdaService } from '../../../src/app/lambda/service.js';

/** Writes `files` into a fresh asset folder and registers a function running them. */
export function defineFunction(
  service: LambdaService,
  name: string,
  files: Record<string, string>,
  over: Partial<FunctionDefinition> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), `asset-${name}-`));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return service.register({
    logicalId: `${name}1234`,
    stackName: 'Test',
    label: `Test/${name}`,
    functionName: name,
    functionArn: service.functionArn(name),
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    timeoutSeconds: 3,
    memorySize: 128,
    environment: {},
    code: { assetDir: dir },
    ...over,
  });
}
