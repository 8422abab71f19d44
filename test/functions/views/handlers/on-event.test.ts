import { describe, expect, it } from 'vitest';
import type { JourneyEvent } from '../../../../functions/views/domain/journey.js';
import { project, type OrderView } from '../../../../functions/views/domain/order-view.js';
import { makeOnEvent } from '../../../../functions/views/handlers/on-event.js';
import { makeOnReplayedEvent } from '../../../../functions/views/handlers/on-replayed-event.js';
import { busMessage, context, sqsEvent } from '../../../support/lambda-events.js';
import { journeys, ORDER } from '../fixtures.js';
import { inMemoryViews } from '../support/in-memory-views.js';

const message = (e: JourneyEvent) =>
  busMessage({ source: e.source, detailType: e['detail-type'], detail: structuredClone(e.detail) });
const replayed = (e: JourneyEvent) => ({ ...message(e), 'replay-name': 'rebuild-2' });
const journey = journeys()['completed']!;
const fold = (events: readonly JourneyEvent[]) =>
  events.reduce<OrderView | undefined>(project, undefined);

describe('views on-event (live)', () => {
  it('projects a batch into the active version, one revision per new event', async () => {
    const table = inMemoryViews();
    const res = await makeOnEvent(table)(sqsEvent(...journey.map(message)), context);
    expect(res.batchItemFailures).toEqual([]);
    expect(table.view(1, ORDER)).toEqual(fold(journey));
    expect(table.state.saves).toBe(journey.length);
  });

  it('writes nothing for a redelivered event', async () => {
    const table = inMemoryViews();
    const first = message(journey[0]!);
    await makeOnEvent(table)(sqsEvent(first, first, first), context);
    expect(table.state.saves).toBe(1);
  });

  it('writes into the building version too while a rebuild runs', async () => {
    const table = inMemoryViews({ active: 1, building: 2 });
    await makeOnEvent(table)(sqsEvent(message(journey[0]!)), context);
    expect(table.view(1, ORDER)).toEqual(fold([journey[0]!]));
    expect(table.view(2, ORDER)).toEqual(fold([journey[0]!]));
  });

  it('reloads and projects again when another writer changed the view in between', async () => {
    const table = inMemoryViews();
    await makeOnEvent(table)(sqsEvent(message(journey[0]!)), context);
    table.loseNextSaves(2);
    const res = await makeOnEvent(table)(sqsEvent(message(journey[1]!)), context);
    expect(res.batchItemFailures).toEqual([]);
    expect(table.view(1, ORDER)?.timeline.map((e) => e.type)).toEqual([
      'OrderPlaced',
      'StockReserved',
    ]);
  });

  it('fails only the message that breaks its contract', async () => {
    const table = inMemoryViews();
    const bad = message(journey[0]!);
    (bad.detail.data as { orderId: unknown }).orderId = 'not an id!';
    const res = await makeOnEvent(table)(sqsEvent(bad, message(journey[1]!)), context);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(table.view(1, ORDER)?.timeline).toHaveLength(1);
  });
});

describe('views on-replayed-event (rebuild)', () => {
  it('writes only into the building version, never the active one', async () => {
    const table = inMemoryViews({ active: 1, building: 2 });
    const res = await makeOnReplayedEvent(table)(sqsEvent(...journey.map(replayed)), context);
    expect(res.batchItemFailures).toEqual([]);
    expect(table.view(1, ORDER)).toBeUndefined();
    expect(table.view(2, ORDER)).toEqual(fold(journey));
  });

  it('ignores replayed events while no rebuild runs (a replay to every rule)', async () => {
    const table = inMemoryViews({ active: 1 });
    const res = await makeOnReplayedEvent(table)(sqsEvent(replayed(journey[0]!)), context);
    expect(res.batchItemFailures).toEqual([]);
    expect(table.state.saves).toBe(0);
  });

  it('ends where the live feed ended, whatever of the journey the live feed already wrote', async () => {
    const table = inMemoryViews({ active: 1, building: 2 });
    await makeOnEvent(table)(sqsEvent(...journey.slice(4).map(message)), context);
    await makeOnReplayedEvent(table)(sqsEvent(...[...journey].reverse().map(replayed)), context);
    expect(table.view(2, ORDER)).toEqual(fold(journey));
  });
});
