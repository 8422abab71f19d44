import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceHash } from '../../../infra/constructs/source-hash.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'shop-hash-'));
  mkdirSync(join(root, 'svc/handlers'), { recursive: true });
  mkdirSync(join(root, 'svc/node_modules/x'), { recursive: true });
  writeFileSync(join(root, 'svc/handlers/a.ts'), 'export const a = 1;');
  writeFileSync(join(root, 'svc/node_modules/x/index.js'), 'ignored');
  writeFileSync(join(root, 'lock.json'), '{}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const hash = (extra = 'opts') =>
  sourceHash(root, [join(root, 'svc'), join(root, 'lock.json')], extra);

describe('sourceHash', () => {
  it('is stable for unchanged inputs, whatever the order of paths', () => {
    expect(hash()).toBe(hash());
    expect(sourceHash(root, [join(root, 'lock.json'), join(root, 'svc')], 'opts')).toBe(hash());
  });

  it('changes when a file changes, appears or is renamed, or the options change', () => {
    const before = hash();
    writeFileSync(join(root, 'svc/handlers/a.ts'), 'export const a = 2;');
    const edited = hash();
    expect(edited).not.toBe(before);
    writeFileSync(join(root, 'svc/handlers/b.ts'), '');
    const added = hash();
    expect(added).not.toBe(edited);
    rmSync(join(root, 'svc/handlers/b.ts'));
    writeFileSync(join(root, 'svc/handlers/c.ts'), '');
    expect(hash()).not.toBe(added);
    expect(hash('other options')).not.toBe(hash());
    writeFileSync(join(root, 'lock.json'), '{"x":1}');
    expect(hash()).not.toBe(before);
  });

  it('ignores node_modules (the lock file stands for it) and tolerates a missing path', () => {
    const before = hash();
    writeFileSync(join(root, 'svc/node_modules/x/index.js'), 'changed');
    expect(hash()).toBe(before);
    expect(() => sourceHash(root, [join(root, 'nope')], '')).not.toThrow();
  });
});
