import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const event = {
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
};

describe('TestEventPattern', () => {
  it('answers Result true or false', async () => {
    const h = harness();
    const test = (pattern: object) =>
      h.call('TestEventPattern', {
        Event: JSON.stringify(event),
        EventPattern: JSON.stringify(pattern),
      });
    expect(await test({ source: ['aws.ec2'], detail: { state: ['pending'] } })).toEqual({
      Result: true,
    });
    expect(await test({ source: ['aws.s3'] })).toEqual({ Result: false });
    expect(await test({ detail: { state: [{ prefix: 'pend' }] } })).toEqual({ Result: true });
  });

  it('rejects an event that is not JSON, not an object or misses a required field', async () => {
    const h = harness();
    const pattern = JSON.stringify({ source: ['aws.ec2'] });
    const withoutRegion: Record<string, unknown> = { ...event };
    delete withoutRegion['region'];
    for (const bad of ['not json', '"a string"', '[1]', JSON.stringify(withoutRegion)]) {
      const error = await h.error('TestEventPattern', { Event: bad, EventPattern: pattern });
      expect([error.code, error.message]).toEqual([
        'ValidationException',
        'Parameter Event is not valid.',
      ]);
    }
    // `resources` is documented as required but AWS does not insist on it.
    const noResources: Record<string, unknown> = { ...event };
    delete noResources['resources'];
    expect(
      await h.call('TestEventPattern', {
        Event: JSON.stringify(noResources),
        EventPattern: pattern,
      }),
    ).toEqual({ Result: true });
  });

  it('rejects an invalid pattern with InvalidEventPatternException', async () => {
    const h = harness();
    const error = await h.error('TestEventPattern', {
      Event: JSON.stringify(event),
      EventPattern: '{"source": "aws.ec2"}',
    });
    expect(error.code).toBe('InvalidEventPatternException');
    const missing = await h.error('TestEventPattern', { Event: JSON.stringify(event) });
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: Member must not be null",
    );
  });
});
