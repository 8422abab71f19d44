/**
 * ServiceFunction's bundling for real (esbuild, locally): the output is one ESM
 * file that runs with no node_modules beside it, with the AWS SDK inside and
 * CommonJS dependencies able to require().
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceFunction } from '../../../infra/constructs/index.js';

const entry = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/esm-handler.ts');
let outdir: string;
let assetDir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'shop-bundle-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bundle');
  new ServiceFunction(stack, 'Fn', { service: 'test', entry });
  const code = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const key = (Object.values(code)[0]!.Properties as { Code: { S3Key: string } }).Code.S3Key;
  assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('ServiceFunction bundling', () => {
  it('emits one minified ESM file and its source map, nothing else', () => {
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(
      code.startsWith("import { createRequire as __shopCreateRequire } from 'node:module'"),
    ).toBe(true);
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
  });

  it('bundles the AWS SDK instead of leaving it to the runtime', () => {
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).toContain('convertEmptyValues');
  });

  it('runs from its own folder, CommonJS require() included', async () => {
    const mod = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: () => Promise<{ eol: string; item: unknown }>;
    };
    await expect(mod.handler()).resolves.toEqual({ eol: '\n', item: { pk: { S: 'x' } } });
  });
});
