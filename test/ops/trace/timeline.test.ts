import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@shop/local-cloud';
import { buildTimeline, flatten, treePrefixes } from '../../../ops/trace/timeline.js';

let seq = 0;
function rec(
  eventId: string,
  causationId: string,
  extra: Record<string, unknown> = {},
): RecordedEvent {
  seq++;
  return {
    seq,
    receivedAt: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, seq)).toISOString(),
    eventBusName: 'shop',
    matchedRules: [],
    event: {
      id: `eb-${seq}`,
      source: 'shop.orders',
      'detail-type': `E${eventId}`,
      detail: { metadata: { eventId, causationId, correlationId: 'o' } },
      ...extra,
    },
  };
}

describe('buildTimeline', () => {
  it('folds replays into the original and keeps events whose cause is missing as roots', () => {
    const roots = buildTimeline([
      rec('a', 'req'),
      rec('b', 'a'),
      rec('b', 'a', { 'replay-name': 'r1' }),
      rec('c', 'gone'),
    ]);
    expect(roots.map((r) => r.eventId)).toEqual(['a', 'c']);
    expect(roots[0]!.children[0]).toMatchObject({ eventId: 'b', replays: ['r1'], published: 1 });
    expect(treePrefixes(roots)).toEqual(['', '└─ ', '']);
  });

  it('survives a causation loop (reused ids) without hanging or losing events', () => {
    const roots = buildTimeline([rec('x', 'y'), rec('y', 'x')]);
    expect(
      flatten(roots)
        .map((e) => e.eventId)
        .sort(),
    ).toEqual(['x', 'y']);
  });
});
