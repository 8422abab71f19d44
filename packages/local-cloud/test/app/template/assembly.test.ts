import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS, handlerFor, SKIPPED_TYPES } from '../../../src/app/resources/index.js';
import { readAssembly, type StackArtifact } from '../../../src/app/template/assembly.js';
import { synthFixture } from '../support.js';

describe('readAssembly of the synthesized fixture app', () => {
  let stacks: StackArtifact[];
  beforeAll(() => {
    stacks = readAssembly(synthFixture());
  });

  it('orders stacks so exporters come before importers', () => {
    expect(stacks.map((s) => s.stackName)).toEqual(['FixtureData', 'FixtureService']);
    expect(stacks[1]!.dependencies).toEqual(['FixtureData']);
  });

  it('maps each function Code.S3Key to its bundled asset folder', () => {
    const service = stacks[1]!;
    for (const r of Object.values(service.template.Resources ?? {})) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const key = (r.Properties?.['Code'] as { S3Key: string }).S3Key;
      expect(service.assets.get(key)).toMatch(/asset\.[0-9a-f]{64}$/);
    }
  });

  it('has a handler, or a reason to skip, for every resource type', () => {
    const types = new Set(
      stacks.flatMap((s) => Object.values(s.template.Resources ?? {}).map((r) => r.Type)),
    );
    for (const type of types) expect(() => handlerFor(type, 'fixture')).not.toThrow();
    // Roles are registered (their policies are what KMS checks); metadata is skipped.
    expect(types.has('AWS::IAM::Role') && HANDLERS['AWS::IAM::Role']).toBeTruthy();
    expect(
      types.has('AWS::Lambda::Permission') && SKIPPED_TYPES['AWS::Lambda::Permission'],
    ).toBeTruthy();
  });
});

describe('readAssembly errors', () => {
  it('says to synthesize when there is no manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-assembly-'));
    expect(() => readAssembly(dir)).toThrow(
      /manifest\.json is missing\): run `npx cdk synth` first/,
    );
  });

  it('names stacks that depend on each other in a cycle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cyclic-assembly-'));
    const stack = (deps: string[]) => ({
      type: 'aws:cloudformation:stack',
      properties: { templateFile: 't.json' },
      dependencies: deps,
    });
    writeFileSync(join(dir, 't.json'), '{"Resources":{}}');
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ artifacts: { A: stack(['B']), B: stack(['A']) } }),
    );
    expect(() => readAssembly(dir)).toThrow(/cycle: A -> B -> A/);
  });
});
