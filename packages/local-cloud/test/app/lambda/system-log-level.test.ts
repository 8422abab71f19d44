/** LoggingConfig: the service's own START / END / REPORT records, by log format and system log level. */
import { afterAll, describe, expect, it } from 'vitest';
import { LambdaService } from '../../../src/app/lambda/service.js';
import { defineFunction } from './support.js';

const appended: { group: string; message: string }[] = [];
const service = new LambdaService({
  endpoint: 'http://127.0.0.1:1',
  region: 'eu-west-1',
  accountId: '123456789012',
  log: () => undefined,
  logs: {
    group: () => undefined,
    append: (group, _stream, message) => appended.push({ group, message }),
  },
});
afterAll(() => service.stop());

const HANDLER = {
  'index.mjs': `export const handler = async () => { console.log('hello'); return 'ok'; };`,
};

async function linesOf(name: string, over: { logFormat?: string; systemLogLevel?: string }) {
  const fn = defineFunction(service, name, HANDLER, over);
  const out = await fn.invoke({});
  expect(out.ok).toBe(true);
  return appended.filter((a) => a.group === `/aws/lambda/${name}`).map((a) => a.message);
}

describe('system log level', () => {
  it('in Text format, the service always writes START, END and REPORT around the output', async () => {
    const lines = await linesOf('text', { systemLogLevel: 'WARN' });
    expect(lines.map((l) => l.split(/[\s\t]/)[0])).toEqual([
      'START',
      expect.stringMatching(/^\d{4}-/),
      'END',
      'REPORT',
    ]);
  });

  it('in JSON format at INFO (the default), writes platform.start, runtimeDone and report records', async () => {
    const lines = await linesOf('json-info', { logFormat: 'JSON' });
    expect(lines.map((l) => (JSON.parse(l) as { type?: string }).type ?? 'app')).toEqual([
      'platform.start',
      'app',
      'platform.runtimeDone',
      'platform.report',
    ]);
  });

  it('in JSON format at WARN, writes the function output only: those records are INFO', async () => {
    const lines = await linesOf('json-warn', { logFormat: 'JSON', systemLogLevel: 'WARN' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'INFO', message: 'hello' });
  });
});
