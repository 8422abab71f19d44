import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, parseJsonPath, type JsonPath } from '../../src/eventbridge/jsonpath.js';
import { entry, harness, queueArn, ruleToQueue } from './harness.js';

const ec2Detail = {
  'instance-id': 'i-0123456789',
  state: 'RUNNING',
  tags: ['a', 'b'],
  nested: { k: 'v' },
};

/** Puts one event through a rule whose SQS target has `target` settings; returns the raw body. */
async function deliver(
  target: Record<string, unknown>,
  detail: object = ec2Detail,
): Promise<string> {
  const h = harness({ now: () => Date.UTC(2015, 10, 11, 21, 29, 54) });
  await ruleToQueue(h, { rule: 'r', queue: 'q', target });
  await h.call('PutEvents', { Entries: [entry({ Detail: JSON.stringify(detail) })] });
  await h.eb.settled();
  const [message] = h.sqs.sent;
  if (!message) throw new Error('nothing was delivered');
  return message.body;
}

const transformer = (InputTemplate: string, InputPathsMap: Record<string, string> = {}) => ({
  InputTransformer: { InputPathsMap, InputTemplate },
});

describe('Input and InputPath', () => {
  it('sends Input verbatim', async () => {
    expect(await deliver({ Input: '{"fixed": true}' })).toBe('{"fixed": true}');
  });

  it('sends the part of the event InputPath selects', async () => {
    expect(JSON.parse(await deliver({ InputPath: '$.detail' }))).toEqual(ec2Detail);
    expect(await deliver({ InputPath: '$.detail.state' })).toBe('"RUNNING"');
    expect(await deliver({ InputPath: '$.detail.tags[1]' })).toBe('"b"');
  });

  it('rejects Input that is not JSON and paths AWS would not evaluate', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["x"]}' });
    const input = await h.error('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 't', Arn: queueArn('q'), Input: 'hi' }],
    });
    expect(input.message).toMatch(/^Input for target t is not a valid JSON text\. \(local cloud: /);
    const path = await h.error('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 't', Arn: queueArn('q'), InputPath: "$['detail']" }],
    });
    expect(path.message).toContain('InputPath for target t is not a valid JSON path');
  });
});

describe('InputTransformer', () => {
  const paths = { instance: '$.detail.instance-id', state: '$.detail.state' };

  it('fills a JSON template: unquoted variables become JSON values, the layout is kept', async () => {
    const body = await deliver(
      transformer(
        '{"instance" : <instance>, "state": [9, <state>, true], "Transformed" : "Yes"}',
        paths,
      ),
    );
    expect(body).toBe(
      '{"instance" : "i-0123456789", "state": [9, "RUNNING", true], "Transformed" : "Yes"}',
    );
  });

  it('puts raw text for variables inside quoted strings', async () => {
    const body = await deliver(
      transformer(
        '{"myInstance": <instance>, "myStatus": "<instance> is in state \\"<state>\\""}',
        paths,
      ),
    );
    expect(JSON.parse(body)).toEqual({
      myInstance: 'i-0123456789',
      myStatus: 'i-0123456789 is in state "RUNNING"',
    });
  });

  it('keeps the quotes of a string template', async () => {
    expect(await deliver(transformer('"<instance> is in state <state>"', paths))).toBe(
      '"i-0123456789 is in state RUNNING"',
    );
  });

  it('fills free text without adding quotes', async () => {
    expect(await deliver(transformer('<instance> is in state <state>', paths))).toBe(
      'i-0123456789 is in state RUNNING',
    );
  });

  it('leaves a variable whose path matches nothing empty', async () => {
    const body = await deliver(
      transformer('{"state": "<state>", "missing": "<missing>"}', {
        ...paths,
        missing: '$.detail.nope',
      }),
    );
    expect(JSON.parse(body)).toEqual({ state: 'RUNNING', missing: '' });
  });

  it('inserts objects as JSON values, and without inner quotes inside strings', async () => {
    const body = await deliver(
      transformer('{"d": <detail>, "s": "Detail is <nested>"}', {
        detail: '$.detail.nested',
        nested: '$.detail.nested',
      }),
    );
    expect(JSON.parse(body)).toEqual({ d: { k: 'v' }, s: 'Detail is {k:v}' });
  });

  it('sends a single unquoted variable as JSON', async () => {
    expect(JSON.parse(await deliver(transformer('<d>', { d: '$.detail' })))).toEqual(ec2Detail);
  });

  it('knows the predefined variables', async () => {
    const body = await deliver(
      transformer(
        '{"arn": "<aws.events.rule-arn>", "name": "<aws.events.rule-name>", ' +
          '"at": "<aws.events.event.ingestion-time>", "e": <aws.events.event>, "full": <aws.events.event.json>}',
      ),
    );
    const parsed = JSON.parse(body) as Record<string, Record<string, unknown> | string>;
    expect(parsed['arn']).toBe('arn:aws:events:us-east-1:000000000000:rule/r');
    expect(parsed['name']).toBe('r');
    expect(parsed['at']).toBe('2015-11-11T21:29:54.000Z');
    expect(parsed['e']).toEqual({
      id: expect.any(String),
      account: '000000000000',
      detailType: 'OrderPlaced',
      time: '2015-11-11T21:29:54.000Z',
      source: 'shop.orders',
      region: 'us-east-1',
      resources: [],
      version: '0',
    });
    expect(parsed['full']).toMatchObject({ 'detail-type': 'OrderPlaced', detail: ec2Detail });
  });

  it('rejects reserved or malformed InputPathsMap entries', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["x"]}' });
    const reserved = await h.error('PutTargets', {
      Rule: 'r',
      Targets: [
        {
          Id: 't',
          Arn: queueArn('q'),
          ...transformer('"<aws.events.rule-name>"', { 'aws.events.rule-name': '$.id' }),
        },
      ],
    });
    expect(reserved.code).toBe('ValidationException');
    const noTemplate = await h.error('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 't', Arn: queueArn('q'), InputTransformer: { InputPathsMap: {} } }],
    });
    expect(noTemplate.message).toBe(
      "1 validation error detected: Value null at 'targets.1.member.inputTransformer.inputTemplate' " +
        'failed to satisfy constraint: Member must not be null',
    );
  });
});

describe('the JSONPath subset', () => {
  const doc = { detail: { a: [{ b: 1 }, { b: 2 }], 'x-y/z': true } };
  const at = (text: string) => evaluateJsonPath(parseJsonPath(text) as JsonPath, doc);

  it('evaluates dot members, indices and wildcards', () => {
    expect(at('$')).toEqual(doc);
    expect(at('$.detail.a[1].b')).toBe(2);
    expect(at('$.detail.x-y/z')).toBe(true);
    expect(at('$.detail.a[*].b')).toEqual([1, 2]);
    expect(at('$.detail.a.*')).toEqual([{ b: 1 }, { b: 2 }]);
    expect(at('$.detail.nope')).toBeUndefined();
  });

  it('rejects what AWS does not support', () => {
    expect(typeof parseJsonPath('detail')).toBe('string');
    expect(typeof parseJsonPath("$['detail']")).toBe('string');
    expect(typeof parseJsonPath('$..detail')).toBe('string');
  });
});
