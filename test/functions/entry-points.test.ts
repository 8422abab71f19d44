import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../functions');
const entryPoints = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((service) =>
    readdirSync(join(root, service.name, 'handlers'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(service.name, 'handlers', f)),
  )
  .filter((file) => /export const handler\b/.test(readFileSync(join(root, file), 'utf8')));

describe('Lambda entry points', () => {
  it('are found in every service', () => {
    const services = new Set(entryPoints.map((f) => f.split('/')[0]));
    expect([...services].sort()).toEqual([
      'inventory',
      'notifications',
      'orders',
      'payments',
      'shipping',
      'views',
    ]);
  });

  it.each(entryPoints)('%s is wired one way: instrument(lazyHandler(() => ...))', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    expect(source).toMatch(/export const handler = instrument\(\s*lazyHandler\(\(\) =>/);
    // Its defaults come from the service's one defaultDeps(), or the shared publisher.
    expect(source).toMatch(/defaultDeps\(\)|defaultPublisher\(\)/);
  });

  it.each(entryPoints)(
    '%s can be imported without the environment its defaults need',
    async (file) => {
      const saved = process.env.TABLE_NAME;
      delete process.env.TABLE_NAME;
      try {
        const module = (await import(join(root, file))) as { handler: unknown };
        expect(typeof module.handler).toBe('function');
      } finally {
        if (saved !== undefined) process.env.TABLE_NAME = saved;
      }
    },
  );
});
