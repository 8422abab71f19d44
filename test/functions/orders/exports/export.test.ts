import { describe, expect, it } from 'vitest';
import {
  ExportAlreadyExists,
  ExportNotFound,
  exportDecider,
  runExport,
} from '../../../../functions/orders/domain/exports/decider.js';
import type { ExportEvent } from '../../../../functions/orders/domain/exports/messages.js';
import { exportObjectKey, noExport } from '../../../../functions/orders/domain/exports/state.js';
import { spec } from '../../../support/given-when-then.js';
import { ADA, at, EXPORT_ID, requestExport } from './support/fixtures.js';

const job = spec(exportDecider);

const requested: ExportEvent = { type: 'ExportRequested', at: at(0), data: requestExport().data };
const started = (attempt: number, when = at(1)): ExportEvent => ({
  type: 'ExportStarted',
  at: when,
  attempt,
});
const progressed = (rowsWritten: number): ExportEvent => ({
  type: 'ExportProgressed',
  at: at(2),
  rowsWritten,
});
const succeeded: ExportEvent = {
  type: 'ExportSucceeded',
  at: at(3),
  rows: 3,
  bytes: 120,
  objectKey: `exports/${ADA}/${EXPORT_ID}.csv`,
};
const failed: ExportEvent = {
  type: 'ExportFailed',
  at: at(3),
  reason: { code: 'TooManyRows', message: 'narrow it' },
};

describe('export job', () => {
  it('a request makes a PENDING export', () => {
    job.given([]).when(requestExport()).then([requested]);
    job
      .given([])
      .when(requestExport())
      .thenState((s) => expect(s.status).toBe('PENDING'));
  });

  it('refuses a second request with the same id', () => {
    job.given([requested]).when(requestExport()).thenThrows(ExportAlreadyExists);
  });

  it('the first run starts attempt 1 with no rows written', () => {
    job
      .given([requested])
      .when({ type: 'StartExport', at: at(1) })
      .then([started(1)]);
    job
      .given([requested])
      .when({ type: 'StartExport', at: at(1) })
      .thenState((s) => expect(s).toMatchObject({ status: 'RUNNING', attempt: 1, rowsWritten: 0 }));
  });

  it('a redelivery while running takes over: the next attempt, from zero rows', () => {
    job
      .given([requested, started(1), progressed(500)])
      .when({ type: 'StartExport', at: at(5) })
      .thenState((s) => expect(s).toMatchObject({ status: 'RUNNING', attempt: 2, rowsWritten: 0 }));
  });

  it('records progress of the running attempt only, and only forward', () => {
    const running = [requested, started(2)];
    job
      .given(running)
      .when({ type: 'RecordProgress', at: at(2), attempt: 2, rowsWritten: 500 })
      .then([progressed(500)]);
    job
      .given(running)
      .when({ type: 'RecordProgress', at: at(2), attempt: 1, rowsWritten: 500 })
      .thenNothing();
    job
      .given([...running, progressed(500)])
      .when({ type: 'RecordProgress', at: at(2), attempt: 2, rowsWritten: 400 })
      .thenNothing();
  });

  it('completes with the figures of the running attempt; an overtaken attempt completes nothing', () => {
    const complete = (attempt: number) => ({
      type: 'CompleteExport' as const,
      at: at(3),
      attempt,
      rows: 3,
      bytes: 120,
      objectKey: succeeded.type === 'ExportSucceeded' ? succeeded.objectKey : '',
    });
    job
      .given([requested, started(1)])
      .when(complete(1))
      .then([succeeded]);
    job
      .given([requested, started(1), started(2)])
      .when(complete(1))
      .thenNothing();
    job
      .given([requested, started(1)])
      .when(complete(1))
      .thenState((s) =>
        expect(s).toMatchObject({ status: 'SUCCEEDED', rows: 3, bytes: 120, attempt: 1 }),
      );
  });

  it('fails with a reason the caller can act on', () => {
    job
      .given([requested, started(1)])
      .when({
        type: 'FailExport',
        at: at(3),
        reason: { code: 'TooManyRows', message: 'narrow it' },
      })
      .then([failed]);
  });

  it('a finished export ignores every later command: redeliveries and replays are no-ops', () => {
    for (const end of [succeeded, failed]) {
      const done = [requested, started(1), end];
      job
        .given(done)
        .when({ type: 'StartExport', at: at(9) })
        .thenNothing();
      job
        .given(done)
        .when({ type: 'RecordProgress', at: at(9), attempt: 1, rowsWritten: 9 })
        .thenNothing();
      job
        .given(done)
        .when({ type: 'CompleteExport', at: at(9), attempt: 1, rows: 9, bytes: 9, objectKey: 'x' })
        .thenNothing();
      job
        .given(done)
        .when({ type: 'FailExport', at: at(9), reason: { code: 'ExportError', message: 'late' } })
        .thenNothing();
    }
  });

  it('refuses work on an export that does not exist', () => {
    job
      .given([])
      .when({ type: 'StartExport', at: at(1) })
      .thenThrows(ExportNotFound);
  });

  it('keeps the request (scope, window, callback) through every status', () => {
    const callback = { url: 'https://example.com/hook', secretCiphertext: 'x' };
    const { job: done } = [
      { type: 'StartExport', at: at(1) } as const,
      {
        type: 'CompleteExport',
        at: at(2),
        attempt: 1,
        rows: 0,
        bytes: 10,
        objectKey: 'k',
      } as const,
    ].reduce(
      (acc, command) => runExport(command, acc.job),
      runExport(requestExport({ callback }), noExport),
    );
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      scope: { kind: 'customer', customerId: ADA },
      from: '2026-11-01T00:00:00.000Z',
      callback,
    });
  });

  it('writes one object key per export, under its customer or all', () => {
    const { job: mine } = runExport(requestExport(), noExport);
    expect(exportObjectKey(mine)).toBe(`exports/${ADA}/${EXPORT_ID}.csv`);
    const { job: all } = runExport(requestExport({ scope: { kind: 'all' } }), noExport);
    expect(exportObjectKey(all)).toBe(`exports/all/${EXPORT_ID}.csv`);
  });
});
